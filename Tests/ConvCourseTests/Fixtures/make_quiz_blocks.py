"""Keras's own shapes and parameter counts for the quiz's blocks with branches.

Runs `convplay quiz --answer-key --topic blocks` for a few seeds at every level, builds each
question's block from the Keras code the question shows (Keras 3's functional API, run on the
PyTorch backend) and writes, per question, that code with Keras's output shape of every named
layer, its parameter count, and the block's Total / Trainable params. QuizBlockFixtureTests
regenerates the same questions and checks the engine's answers against these numbers.

    KERAS_BACKEND=torch python3 Tests/ConvCourseTests/Fixtures/make_quiz_blocks.py \
        .build/release/convplay > Tests/ConvCourseTests/Fixtures/quiz_blocks.json
"""
import json
import os
import subprocess
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras  # noqa: E402
import numpy as np  # noqa: E402

SEEDS = [1, 2, 3]
LEVELS = [1, 2, 3]
COUNT = 6
# The only names a question's code may use.
LAYERS = {
    name: getattr(keras.layers, name)
    for name in ["Input", "Conv2D", "BatchNormalization", "ReLU", "Add", "Concatenate", "MaxPooling2D",
                 "AveragePooling2D"]
}


def questions(convplay, seed, level):
    """The answer key's questions: (header, code lines, answer)."""
    out = subprocess.run(
        [convplay, "quiz", "--answer-key", "--topic", "blocks", "--lang", "en", "--seed", str(seed),
         "--count", str(COUNT), "--level", str(level)],
        check=True, capture_output=True, text=True).stdout
    for chunk in out.strip().split("\n\n"):
        lines = chunk.split("\n")
        code = [l.strip() for l in lines[1:] if l.startswith("  ")]
        answer = [l for l in lines if l.startswith("answer: ")][0][len("answer: "):]
        yield lines[0], code, answer


def keras_numbers(code):
    """Builds the block from its code; returns shapes and parameter counts by name."""
    namespace = {}
    for line in code:
        exec(line, {"__builtins__": {}, **LAYERS}, namespace)  # noqa: S102 (our own question text)
    names = [line.split(" = ", 1)[0] for line in code]
    model = keras.Model(namespace[names[0]], namespace[names[-1]])
    shapes = {n: list(namespace[n].shape[1:]) for n in names}
    params = {n: int(namespace[n]._keras_history.operation.count_params()) for n in names[1:]}
    trainable = int(sum(np.prod(w.shape) for w in model.trainable_weights))
    return shapes, params, int(model.count_params()), trainable


def main():
    convplay = sys.argv[1] if len(sys.argv) > 1 else ".build/release/convplay"
    cases = []
    for level in LEVELS:
        for seed in SEEDS:
            for index, (header, code, answer) in enumerate(questions(convplay, seed, level)):
                shapes, params, total, trainable = keras_numbers(code)
                cases.append({
                    "seed": seed, "level": level, "index": index, "question": header, "code": code,
                    "shapes": shapes, "params": params, "total_params": total, "trainable_params": trainable,
                })
    # One case a line: small, and a changed question shows as one changed line.
    head = json.dumps({"keras": keras.__version__, "backend": keras.backend.backend()})[:-1]
    sys.stdout.write(head + ', "cases": [\n')
    sys.stdout.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    sys.stdout.write("\n]}\n")


if __name__ == "__main__":
    main()
