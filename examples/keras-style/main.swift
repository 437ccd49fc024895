// A Keras user's first convplay program: build a Sequential CNN, print its summary, fit it on
// MNIST, evaluate it on the test set. The same steps as the course's notebook:
//
//   model = Sequential()
//   model.add(Conv2D(64, kernel_size=3, activation="relu", input_shape=(28, 28, 1)))
//   model.add(MaxPooling2D(pool_size=(2, 2)))
//   model.add(Flatten())
//   model.add(Dense(15, activation="tanh"))
//   model.add(Dense(10, activation="softmax"))
//   model.summary()
//   model.fit(x_train, y_train, epochs=1, validation_split=0.1)
//   model.evaluate(x_test, y_test)
//
// Run:  swift run -c release keras-style-example [DATA_DIR] [IMAGES]
// DATA_DIR holds the MNIST IDX files (default: $CONVPLAY_DATA or ~/.cache/convplay/datasets/mnist,
// filled by `convplay data fetch mnist`); IMAGES limits the training set (default 6000).
import ConvData
import ConvKit
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let dataDirectory = arguments.first
let limit = arguments.dropFirst().first.flatMap(Int.init) ?? 6000

// The model, layer by layer, in Keras's vocabulary.
let model = SequentialSpec(
  inputShape: [28, 28, 1],
  layers: [
    LayerSpec(Conv2D(filters: 64, kernelSize: Size2(3, 3), activation: .relu)),
    LayerSpec(MaxPooling2D(poolSize: Size2(2, 2))),
    LayerSpec(Flatten()),
    LayerSpec(Dense(units: 15, activation: .tanh)),
    LayerSpec(Dense(units: 10, activation: .softmax)),
  ])
print(try SummaryText.render(model))

do {
  let data = try DatasetLocator(explicitDirectory: dataDirectory).load(.mnist)
  let (training, validation) = data.training.prefix(limit).split(validationFraction: 0.1)
  let network = try Network(spec: model, seed: 0)
  try network.fit(training, validation: validation, epochs: 1, batchSize: 128, optimizer: Adam(), onEvent: { event in
    if case .epochEnded(let m) = event {
      print(String(format: "epoch %d - %.1fs - loss: %.4f - accuracy: %.4f - val_accuracy: %.4f",
                   m.epoch, m.seconds, m.loss, m.accuracy, m.validationAccuracy ?? .nan))
    }
  })
  let (loss, accuracy) = try network.evaluate(data.test)
  print(String(format: "test accuracy: %.4f\ntest loss: %.4f", accuracy, loss))
} catch {
  FileHandle.standardError.write(Data("keras-style-example: \(error)\n".utf8))
  exit(1)
}
