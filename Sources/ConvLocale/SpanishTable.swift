// The Spanish of everything written in English where it is used: the command line's help,
// output and error lines, the named data sets' class names and the models' descriptions.
// One entry a line (or a pair of multi-line literals): ("English", "Spanish"). `{0}`, `{1}`...
// stand for the parts that vary; a finished English line is matched against them
// (Spanish.line), so an entry may translate a message made in any module.
// Adding a message: write it in English where it is printed, add its pair here.
// The course's words (HELPERS.md): kernel, filtro, padding, stride, pooling, mapa de
// características, bias, accuracy (never "precisión"), época; impersonal instructions.

extension Spanish {
  /// English -> Spanish. Built from the sections below; a key given twice keeps its first entry
  /// (`duplicateKeys` lists them for the tests).
  public static let table: [String: String] = Dictionary(
    allEntries, uniquingKeysWith: { first, _ in first })

  static var allEntries: [(String, String)] {
    commandLineHelp + commandLineOutput + commandLineErrors + engineErrors + classNames
      + modelDescriptions + quizSentences
  }

  /// English keys given more than once in the sections.
  public static func duplicateKeys() -> [String] {
    var seen: [String: Int] = [:]
    for (en, _) in allEntries { seen[en, default: 0] += 1 }
    return seen.filter { $0.value > 1 }.map(\.key).sorted()
  }

  // MARK: - Class names of the named data sets (CIFAR-10, Fashion-MNIST)

  static let classNames: [(String, String)] = [
    ("airplane", "avión"), ("automobile", "automóvil"), ("bird", "pájaro"), ("cat", "gato"),
    ("deer", "ciervo"), ("dog", "perro"), ("frog", "rana"), ("horse", "caballo"), ("ship", "barco"),
    ("truck", "camión"),
    ("T-shirt/top", "Camiseta"), ("Trouser", "Pantalón"), ("Pullover", "Suéter"), ("Dress", "Vestido"),
    ("Coat", "Abrigo"), ("Sandal", "Sandalia"), ("Shirt", "Camisa"), ("Sneaker", "Zapatilla"),
    ("Bag", "Bolso"), ("Ankle boot", "Botín"),
  ]

  // MARK: - The models' one-line descriptions (summary --list, the summary screen's picker)

  static let modelDescriptions: [(String, String)] = [
    ("the course's first model: Conv2D(64, 3) -> Flatten -> Dense(10)",
     "el primer modelo del curso: Conv2D(64, 3) -> Flatten -> Dense(10)"),
    ("course1 with a Dense(15, tanh) hidden layer", "course1 con una capa oculta Dense(15, tanh)"),
    ("course2 with MaxPooling2D(2) after the convolution", "course2 con MaxPooling2D(2) tras la convolución"),
    ("softmax regression: Flatten -> Dense(10, softmax)", "regresión softmax: Flatten -> Dense(10, softmax)"),
    ("multilayer perceptron: two hidden Dense(256, relu) layers with dropout",
     "perceptrón multicapa: dos capas ocultas Dense(256, relu) con dropout"),
    // Layer names only: the same in both languages, listed so the test knows it is not missing.
    ("conv32(same)-pool-conv64(same)-pool-flatten-dense128-dropout0.25-dense10",
     "conv32(same)-pool-conv64(same)-pool-flatten-dense128-dropout0.25-dense10"),
    ("Keras's mnist_convnet example: conv32-pool-conv64-pool-flatten-dropout-dense10",
     "el ejemplo mnist_convnet de Keras: conv32-pool-conv64-pool-flatten-dropout-dense10"),
    ("{0} on CIFAR-10's 32x32 colour images (train --model {0} --dataset cifar10)",
     "{0} con las imágenes en color 32x32 de CIFAR-10 (train --model {0} --dataset cifar10)"),
    ("the built-in trained digits model (Keras's mnist_convnet), with its weights",
     "el modelo de dígitos entrenado que trae convplay (mnist_convnet de Keras), con sus pesos"),
    ("keras.applications.VGG16: 13 convolutions in 5 blocks, 3 dense layers",
     "keras.applications.VGG16: 13 convoluciones en 5 bloques, 3 capas densas"),
    ("keras.applications.VGG19: 16 convolutions in 5 blocks, 3 dense layers",
     "keras.applications.VGG19: 16 convoluciones en 5 bloques, 3 capas densas"),
    ("keras.applications.ResNet50: residual blocks with Add shortcuts (He et al. 2015)",
     "keras.applications.ResNet50: bloques residuales con atajos Add (He et al. 2015)"),
    ("keras.applications.MobileNet: depthwise separable convolutions, ReLU(6)",
     "keras.applications.MobileNet: convoluciones separables en profundidad, ReLU(6)"),
    ("keras.applications.Xception: separable convolutions with residual Adds",
     "keras.applications.Xception: convoluciones separables con Add residuales"),
    ("keras.applications.InceptionV3: parallel branches joined by Concatenate",
     "keras.applications.InceptionV3: ramas en paralelo unidas por Concatenate"),
  ]

  // MARK: - The command line's help (ArgumentParser wraps it: translated where declared)

  static let commandLineHelp: [(String, String)] = [
    ("A terminal playground for learning how convolutional neural networks see images.",
     "Un entorno en la terminal para aprender cómo ven las imágenes las redes neuronales convolucionales."),
    ("""
      Run a subcommand, for example:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        convplay conv --matrix examples/matrices/course-5x5.txt --kernel sharpen --padding same
        convplay pool --matrix examples/matrices/course-5x5.txt --size 2 --mode max
        convplay kernels
        convplay filter photo.jpg --kernel edge --out edges.png
      On a terminal, `convplay` alone opens the playground (`convplay --lang es` in Spanish).
      `--lang en|es` works on every subcommand (default: LANGUAGE, LC_ALL or LANG).
      """,
     """
      Ejecutar un subcomando, por ejemplo:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        convplay conv --matrix examples/matrices/course-5x5.txt --kernel sharpen --padding same
        convplay pool --matrix examples/matrices/course-5x5.txt --size 2 --mode max
        convplay kernels
        convplay filter foto.jpg --kernel edge --out bordes.png
      En una terminal, `convplay` solo abre el entorno interactivo (`convplay --lang
      es` en español). `--lang en|es` funciona en todos los subcomandos (por defecto:
      LANGUAGE, LC_ALL o LANG).
      """),
    ("Split a colour photo into its R, G and B matrices and write each as an image.",
     "Separar una foto en color en sus matrices R, G y B y escribir cada una como imagen."),
    ("""
      Writes into the output directory (created if missing):
        red.png green.png blue.png      each channel tinted like matplotlib's
                                        Reds / Greens / Blues (0 light, 255 dark)
        red-gray.png green-gray.png     each channel as a plain gray image
        blue-gray.png
      Example:
        convplay channels photo.jpg --out-dir channels/
      """,
     """
      Escribe en la carpeta de salida (la crea si no existe):
        red.png green.png blue.png      cada canal teñido como Reds / Greens /
                                        Blues de matplotlib (0 claro, 255 oscuro)
        red-gray.png green-gray.png     cada canal como imagen en escala de grises
        blue-gray.png
      Ejemplo:
        convplay channels foto.jpg --out-dir canales/
      """),
    ("Directory for the six images.",
     "Carpeta para las seis imágenes."),
    ("dir",
     "carpeta"),
    ("Classify photos with a pretrained network (Keras, PyTorch or convplay weights) or walk the shapes with random weights.",
     "Clasificar fotos con una red preentrenada (pesos de Keras, PyTorch o convplay) o recorrer las formas con pesos aleatorios."),
    ("""
      Examples:
        convplay weights fetch vgg16        (once: Keras's own file, hash checked)
        convplay classify tiger.jpg --arch vgg16
        convplay classify tiger.jpg --weights vgg16_weights_tf_dim_ordering_tf_kernels.h5
        convplay classify tiger.jpg --weights vgg16-397923af.pth --arch vgg16
        convplay classify tiger.jpg --arch vgg16 --random-weights
        convplay classify tiger.jpg --arch vgg16 --explain --explain-out cam.png
      --arch alone uses the file Keras keeps in ~/.keras/models (or $KERAS_HOME).
      The photo is resized to the network's input (nearest neighbour for 'caffe'
      weights, as Keras's load_img does; bilinear otherwise) and prepared as the
      weights say (Keras 'caffe' for VGG: RGB -> BGR, minus the ImageNet means
      103.939, 116.779, 123.68, no scaling; 'torch' for PyTorch's). With
      --random-weights the same forward pass runs on Glorot-uniform weights:
      every layer's output shape, the time and the GFLOP/s are printed, and the
      classes mean nothing.
      """,
     """
      Ejemplos:
        convplay weights fetch vgg16        (una vez: el archivo de Keras, con su hash verificado)
        convplay classify tigre.jpg --arch vgg16
        convplay classify tigre.jpg --weights vgg16_weights_tf_dim_ordering_tf_kernels.h5
        convplay classify tigre.jpg --weights vgg16-397923af.pth --arch vgg16
        convplay classify tigre.jpg --arch vgg16 --random-weights
        convplay classify tigre.jpg --arch vgg16 --explain --explain-out cam.png
      Solo --arch usa el archivo que Keras guarda en ~/.keras/models (o
      $KERAS_HOME). La foto se redimensiona a la entrada de la red (vecino más
      cercano con pesos 'caffe', como hace load_img de Keras; bilineal en otro caso)
      y se prepara como indican los pesos (Keras 'caffe' para VGG: RGB -> BGR, menos
      las medias de ImageNet 103.939, 116.779, 123.68, sin escalar; 'torch' para los
      de PyTorch). Con --random-weights se ejecuta la misma pasada hacia adelante
      con pesos Glorot-uniform: se muestran la forma de salida de cada capa, el
      tiempo y los GFLOP/s, y las clases no significan nada.
      """),
    ("PNG, JPEG or .npy photos.",
     "Fotos PNG, JPEG o .npy."),
    ("PHOTO",
     "FOTO"),
    ("Weights: a convplay model, Keras .h5/.keras, PyTorch .pth/.pt, safetensors or .npz (told by content).",
     "Pesos: un modelo de convplay, .h5/.keras de Keras, .pth/.pt de PyTorch, safetensors o .npz (se reconoce por el contenido)."),
    ("FILE",
     "ARCHIVO"),
    ("Random weights instead of a file (needs --arch): shows the shapes flowing through.",
     "Pesos aleatorios en lugar de un archivo (requiere --arch): muestra las formas que recorren la red."),
    ("vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet or a model spec: the architecture of a weights file that does not name one, or of --random-weights. Alone: the weights in Keras's cache.",
     "vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet o una especificación de modelo: la arquitectura de un archivo de pesos que no la nombra, o de --random-weights. Sola: los pesos de la caché de Keras."),
    ("name|spec",
     "nombre|especificación"),
    ("Input shape for a spec (default 224x224x3).",
     "Forma de entrada para una especificación (por defecto 224x224x3)."),
    ("HxWxC",
     "HxWxC"),
    ("Seed of the random weights.",
     "Semilla de los pesos aleatorios."),
    ("N",
     "N"),
    ("Override the file's preprocessing (caffe: Keras's VGG; torch: torchvision's).",
     "Cambiar el preprocesamiento del archivo (caffe: el de VGG en Keras; torch: el de torchvision)."),
    ("How many classes to list.",
     "Cuántas clases listar."),
    ("Write every photo's probabilities as a float32 .npy matrix (photos x classes).",
     "Escribir las probabilidades de cada foto como matriz float32 .npy (fotos x clases)."),
    ("FILE.npy",
     "ARCHIVO.npy"),
    ("Print every layer's output shape, and the time and peak memory per photo.",
     "Mostrar la forma de salida de cada capa, y el tiempo y la memoria máxima por foto."),
    ("Convolve a matrix with a kernel and print the output matrix.",
     "Convolucionar una matriz con un kernel y mostrar la matriz de salida."),
    ("""
      Example (the course's worked example):
        convplay conv --matrix examples/matrices/course-5x5.txt --kernel sharpen
        266 -61 -30
        116 -47 295
        -135 256 -128
      A multi-channel input with a kernel of the same number of blocks sums the channels, as a
      Conv2D filter does; a single-block kernel filters each channel on its own.
      """,
     """
      Ejemplo (el ejemplo resuelto del curso):
        convplay conv --matrix examples/matrices/course-5x5.txt --kernel sharpen
        266 -61 -30
        116 -47 295
        -135 256 -128
      Una entrada de varios canales con un kernel de la misma cantidad de bloques
      suma los canales, como un filtro de Conv2D; un kernel de un solo bloque filtra
      cada canal por separado.
      """),
    ("Download and locate the MNIST and Fashion-MNIST data sets.",
     "Descargar y ubicar los conjuntos de datos MNIST y Fashion-MNIST."),
    ("Download a data set, verify the published checksums and cache it.",
     "Descargar un conjunto de datos, verificar las sumas de control publicadas y guardarlo en caché."),
    ("""
      Example:
        convplay data fetch mnist
      Files go to ~/.cache/convplay/datasets/NAME (or --dir); each is retried up to 3 times and
      written only once its checksum matches.
      """,
     """
      Ejemplo:
        convplay data fetch mnist
      Los archivos van a ~/.cache/convplay/datasets/NOMBRE (o --dir); cada uno se
      reintenta hasta 3 veces y se escribe solo cuando su suma de control coincide.
      """),
    ("mnist or fashion-mnist.",
     "mnist o fashion-mnist."),
    ("NAME",
     "NOMBRE"),
    ("Base URL of a mirror holding the four .gz files.",
     "URL base de un espejo con los cuatro archivos .gz."),
    ("URL",
     "URL"),
    ("Where to store the files.",
     "Dónde guardar los archivos."),
    ("DIR",
     "CARPETA"),
    ("Show where each data set is found.",
     "Mostrar dónde se encuentra cada conjunto de datos."),
    ("A folder to look in first.",
     "Una carpeta donde buscar primero."),
    ("Measure saved weights' accuracy and loss on a data set's test images.",
     "Medir el accuracy y la pérdida de pesos guardados sobre las imágenes de prueba de un conjunto de datos."),
    ("""
      Example:
        convplay train --model cnn --epochs 3 --save digits.safetensors
        convplay evaluate --weights digits.safetensors
      Without --weights, the built-in digit model (Keras's mnist_convnet trained by convplay).
      The data set defaults to the one the weights were trained on.
      """,
     """
      Ejemplo:
        convplay train --model cnn --epochs 3 --save digitos.safetensors
        convplay evaluate --weights digitos.safetensors
      Sin --weights, el modelo de dígitos que trae convplay (mnist_convnet de Keras
      entrenado por convplay). El conjunto de datos por defecto es aquel con el que
      se entrenaron los pesos.
      """),
    ("A weights file written by `convplay train --save` (default: the built-in model).",
     "Un archivo de pesos escrito por `convplay train --save` (por defecto: el modelo que trae convplay)."),
    ("Filter a photo with a kernel (cross-correlation, as Keras computes) and write the result.",
     "Filtrar una foto con un kernel (correlación cruzada, como calcula Keras) y escribir el resultado."),
    ("""
      The kernels and window options of 'convplay conv', but padding defaults to
      'same' (the output has the size of the input). The photo is made gray first
      (--gray, default luminance); --gray none filters R, G and B each on its own,
      or, with a kernel of three blocks, sums them as one Conv2D filter does.
      --out X.npy writes the raw float32 result (numpy.load reads it); --out X.png
      or X.jpg writes 8-bit pixels made by --normalize:
        clip     clamp to 0-255        (default for blur, sharpen, identity)
        abs      |x|, then clamp       (default for edge kernels)
        minmax   the result's min-max onto 0-255
        offset   128 + x, clamped: zero is mid-gray, negative values stay visible
      Examples:
        convplay filter photo.jpg --kernel edge --out edges.png
        convplay filter photo.jpg --kernel sobel-x --normalize offset --out sobel.png
        convplay filter photo.png --kernel k.txt --stride 2 --padding valid \\
          --out small.png
        convplay filter photo.png --kernel edge-horizontal --out result.npy
      """,
     """
      Los kernels y las opciones de ventana de 'convplay conv', pero el padding por
      defecto es 'same' (la salida tiene el tamaño de la entrada). La foto se pasa
      primero a gris (--gray, por defecto luminance); --gray none filtra R, G y B
      cada uno por separado o, con un kernel de tres bloques, los suma como un
      filtro de Conv2D. --out X.npy escribe el resultado float32 tal cual
      (numpy.load lo lee); --out X.png o X.jpg escribe píxeles de 8 bits según
      --normalize:
        clip     recortar a 0-255          (por defecto para blur, sharpen, identity)
        abs      |x|, luego recortar       (por defecto para los kernels de bordes)
        minmax   el mín-máx del resultado sobre 0-255
        offset   128 + x, recortado: el cero es gris medio, los negativos se ven
      Ejemplos:
        convplay filter foto.jpg --kernel edge --out bordes.png
        convplay filter foto.jpg --kernel sobel-x --normalize offset --out sobel.png
        convplay filter foto.png --kernel k.txt --stride 2 --padding valid \\
          --out chica.png
        convplay filter foto.png --kernel edge-horizontal --out resultado.npy
      """),
    ("How a colour photo becomes gray first (none: filter each colour channel).",
     "Cómo se pasa a gris una foto en color (none: filtrar cada canal de color)."),
    ("How values outside 0-255 reach a PNG/JPEG (default: by kernel).",
     "Cómo llegan a un PNG/JPEG los valores fuera de 0-255 (por defecto: según el kernel)."),
    ("Output file: .png, .jpg or .npy (raw float32).",
     "Archivo de salida: .png, .jpg o .npy (float32 tal cual)."),
    ("file",
     "archivo"),
    ("Run the filter this many times and report the fastest (benchmarks).",
     "Aplicar el filtro esta cantidad de veces e informar la más rápida (mediciones)."),
    ("n",
     "n"),
    ("Print the filter's own time and speed on stderr (without reading and writing).",
     "Mostrar en stderr el tiempo y la velocidad del filtro solo (sin leer ni escribir)."),
    ("Reuse a trained model on a new data set: new head, frozen base, then joint training.",
     "Reutilizar un modelo entrenado en un conjunto de datos nuevo: cabeza nueva, base congelada y después entrenamiento conjunto."),
    ("""
      Examples:
        convplay finetune --dataset fashion-mnist --freeze-epochs 1 --finetune-epochs 1 --limit 6000
        convplay finetune --base digits.safetensors --dataset folder:fingers --image-size 28x28 --color gray --scratch
        convplay finetune --base mobilenet --dataset folder:fingers --label-pattern '_([0-5])[LR]\\.png$' --unfreeze 10
      --base default (or no --base) is the built-in digit model. The new head is a Dense layer with
      one unit per class of the new data set; the base's input shape must fit the new images.
      --base vgg16|vgg19|resnet50|inceptionv3|xception|mobilenet (or a Keras .h5/.keras model file) is
      the ImageNet network without its top (include_top=False), weights from --weights or Keras's
      cache (~/.keras/models), with a new head (pooling, --dense units, one softmax unit per class):
      step 1 trains the head with the base frozen (each image goes through the base once: the
      features are cached), step 2 unfreezes the base (--unfreeze) at --finetune-lr, step 3
      evaluates on the test images. --augment turns the feature cache off.
      """,
     """
      Ejemplos:
        convplay finetune --dataset fashion-mnist --freeze-epochs 1 --finetune-epochs 1 --limit 6000
        convplay finetune --base digitos.safetensors --dataset folder:dedos --image-size 28x28 --color gray --scratch
        convplay finetune --base mobilenet --dataset folder:dedos --label-pattern '_([0-5])[LR]\\.png$' --unfreeze 10
      `--base default` (o sin --base) es el modelo de dígitos que trae convplay. La cabeza nueva es una
      capa Dense con una unidad por clase del conjunto nuevo; la forma de entrada de
      la base debe coincidir con las imágenes nuevas.
      --base vgg16|vgg19|resnet50|inceptionv3|xception|mobilenet (o un archivo de modelo .h5/.keras
      de Keras) es la red de ImageNet sin su parte superior (include_top=False), con los pesos de
      --weights o de la caché de Keras (~/.keras/models) y una cabeza nueva (pooling, --dense
      unidades, una unidad softmax por clase): el paso 1 entrena la cabeza con la base congelada
      (cada imagen pasa una sola vez por la base: las características quedan en caché), el paso 2
      descongela la base (--unfreeze) con --finetune-lr y el paso 3 evalúa con las imágenes de
      prueba. --augment desactiva la caché de características.
      """),
    ("A model saved by `train --save`, or `default` for the built-in one.",
     "Un modelo guardado con `train --save`, o `default` para el que trae convplay."),
    ("Epochs of phase 1 (base frozen, only the new head trains).",
     "Épocas de la fase 1 (base congelada, solo se entrena la cabeza nueva)."),
    ("Epochs of phase 2 (everything trains, at --finetune-lr).",
     "Épocas de la fase 2 (se entrena todo, con --finetune-lr)."),
    ("M",
     "M"),
    ("Adam's learning rate in phase 1.",
     "Tasa de aprendizaje de Adam en la fase 1."),
    ("X",
     "X"),
    ("Adam's learning rate in phase 2 (default: --lr / 10).",
     "Tasa de aprendizaje de Adam en la fase 2 (por defecto: --lr / 10)."),
    ("Images per optimizer step.",
     "Imágenes por paso del optimizador."),
    ("Seed for the new head, shuffling and dropout.",
     "Semilla de la cabeza nueva, la mezcla y el dropout."),
    ("Save the fine-tuned model (safetensors).",
     "Guardar el modelo ajustado (safetensors)."),
    ("Also train the same architecture from scratch for the same training time.",
     "Entrenar también la misma arquitectura desde cero durante el mismo tiempo."),
    ("One line per epoch instead of a progress bar.",
     "Una línea por época en lugar de una barra de progreso."),
    ("Convert a photo to gray (one matrix) and write it as PNG, JPEG or .npy.",
     "Pasar una foto a gris (una matriz) y escribirla como PNG, JPEG o .npy."),
    ("""
      Methods (on 0-255 values, in float32, not rounded before writing .npy):
        average     (R + G + B) / 3
        luminance   0.3 R + 0.59 G + 0.11 B   (the course's; the default)
        bt601       0.299 R + 0.587 G + 0.114 B
      Example:
        convplay gray photo.jpg --method luminance --out gray.png
      """,
     """
      Métodos (sobre valores 0-255, en float32, sin redondear antes de escribir
      .npy):
        average     (R + G + B) / 3
        luminance   0.3 R + 0.59 G + 0.11 B   (el del curso; por defecto)
        bt601       0.299 R + 0.587 G + 0.114 B
      Ejemplo:
        convplay gray foto.jpg --method luminance --out gris.png
      """),
    ("How R, G and B are combined (none is refused here: it keeps the colours).",
     "Cómo se combinan R, G y B (none no se acepta aquí: conserva los colores)."),
    ("Bring trained Keras or PyTorch weights (.h5, .keras, .pth, safetensors, .npz) into convplay's model format.",
     "Traer pesos entrenados de Keras o PyTorch (.h5, .keras, .pth, safetensors, .npz) al formato de modelo de convplay."),
    ("""
      Examples:
        convplay import vgg16_weights_tf_dim_ordering_tf_kernels.h5 --arch vgg16 -o vgg16.safetensors
        convplay import vgg16-397923af.pth --arch vgg16 -o vgg16.safetensors
        convplay import vgg16_keras.npz --arch vgg16 -o vgg16.safetensors
        convplay import vgg16_torch.npz --arch vgg16 --from pytorch -o vgg16.safetensors
        convplay import small.npz --arch model.txt --input 32x32x3 -o small.safetensors
      Keras kernels are (height, width, in, out), PyTorch's (out, in, height,
      width); Dense (in, out) against Linear (out, in); PyTorch flattens channels
      first, so the first Dense after a Flatten has its rows reordered. Every
      tensor's shape is checked; the first that does not fit is named. Tensors
      find their layers by Keras name (block1_conv1/kernel:0), by torchvision's
      VGG names (features.0.weight, classifier.0.weight), or else in order.
      Keras .h5/.keras files are matched layer by layer in Keras's weight order;
      PyTorch .pth files are read without Python (only a state dict's pickle
      opcodes; any other Python global is refused, never run). The format is
      told by content, not by the file name.
      """,
     """
      Ejemplos:
        convplay import vgg16_weights_tf_dim_ordering_tf_kernels.h5 --arch vgg16 -o vgg16.safetensors
        convplay import vgg16-397923af.pth --arch vgg16 -o vgg16.safetensors
        convplay import vgg16_keras.npz --arch vgg16 -o vgg16.safetensors
        convplay import vgg16_torch.npz --arch vgg16 --from pytorch -o vgg16.safetensors
        convplay import chico.npz --arch modelo.txt --input 32x32x3 -o chico.safetensors
      Los kernels de Keras son (alto, ancho, entrada, salida), los de PyTorch
      (salida, entrada, alto, ancho); Dense (entrada, salida) frente a Linear
      (salida, entrada); PyTorch aplana primero los canales, así que la primera
      Dense tras un Flatten reordena sus filas. Se verifica la forma de cada tensor;
      se nombra el primero que no encaja. Los tensores encuentran su capa por el
      nombre de Keras (block1_conv1/kernel:0), por los nombres de VGG de torchvision
      (features.0.weight, classifier.0.weight) o, si no, en orden. Los .h5/.keras de
      Keras se emparejan capa a capa en el orden de pesos de Keras; los .pth de
      PyTorch se leen sin Python (solo los opcodes del pickle de un state dict;
      cualquier otro global de Python se rechaza y nunca se ejecuta). El formato se
      reconoce por el contenido, no por el nombre del archivo.
      """),
    ("Weights: Keras .h5/.keras, PyTorch .pth/.pt, safetensors or NumPy .npz.",
     "Pesos: .h5/.keras de Keras, .pth/.pt de PyTorch, safetensors o .npz de NumPy."),
    ("WEIGHTS",
     "PESOS"),
    ("vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet, or a model spec (text or file); not needed for a whole Keras model.",
     "vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet o una especificación de modelo (texto o archivo); no hace falta para un modelo de Keras completo."),
    ("Where the weights come from (default: guessed from the tensor names).",
     "De dónde vienen los pesos (por defecto: se deduce de los nombres de los tensores)."),
    ("imagenet, or a text file with one class name per line.",
     "imagenet, o un archivo de texto con un nombre de clase por línea."),
    ("names",
     "nombres"),
    ("Where to write the model (.safetensors).",
     "Dónde escribir el modelo (.safetensors)."),
    ("Print which file tensor became which layer weight.",
     "Mostrar qué tensor del archivo pasó a ser qué peso de qué capa."),
    ("Show an image's size, channels and bit depth, and the values convplay reads.",
     "Mostrar el tamaño, los canales y la profundidad de bits de una imagen, y los valores que lee convplay."),
    ("""
      Example:
        convplay info photo.jpg
      Each file is decoded in full, so a damaged file is reported as such.
      """,
     """
      Ejemplo:
        convplay info foto.jpg
      Cada archivo se decodifica entero, así que un archivo dañado se informa como
      tal.
      """),
    ("PNG, JPEG or NumPy .npy files.",
     "Archivos PNG, JPEG o .npy de NumPy."),
    ("image",
     "imagen"),
    ("List the preset kernels with their values.",
     "Listar los kernels predefinidos con sus valores."),
    ("Show only this preset.",
     "Mostrar solo este kernel predefinido."),
    ("Max or average pooling of a matrix; prints the output matrix.",
     "Pooling máximo o promedio de una matriz; muestra la matriz de salida."),
    ("""
      Example:
        convplay pool --matrix examples/matrices/course-5x5.txt --size 2 --mode max
      The stride defaults to the pool size. With --padding same, padded cells are ignored (max
      treats them as -infinity, avg leaves them out of the mean), as Keras does.
      Add --steps to see every window.
      """,
     """
      Ejemplo:
        convplay pool --matrix examples/matrices/course-5x5.txt --size 2 --mode max
      El stride por defecto es el tamaño del pooling. Con --padding same, las celdas
      de padding se ignoran (max las trata como -infinito, avg las deja fuera del
      promedio), como hace Keras. Agregar --steps para ver cada ventana.
      """),
    ("Pool size: N or RxC.",
     "Tamaño del pooling: N o FxC."),
    ("N|RxC",
     "N|FxC"),
    ("Stride: N or RxC (default: the pool size).",
     "Stride: N o FxC (por defecto: el tamaño del pooling)."),
    ("Keep the window's largest value or its mean.",
     "Quedarse con el mayor valor de la ventana o con su promedio."),
    ("Keras's padding rule for the windows.",
     "La regla de padding de Keras para las ventanas."),
    ("Print every window step by step, as 'convplay step' does for convolution.",
     "Mostrar cada ventana paso a paso, como hace 'convplay step' con la convolución."),
    ("Plain text without colours (with --steps).",
     "Texto plano sin colores (con --steps)."),
    ("Classify a photo or scan of one handwritten digit: the top 3 with probabilities.",
     "Clasificar una foto o escaneo de un dígito escrito a mano: las 3 clases más probables con sus probabilidades."),
    ("""
      Example:
        convplay predict my-digit.png
        convplay predict my-digit.png --explain --explain-out cam.png
        1. 7   0.9731
        2. 1   0.0142
        3. 9   0.0061
      The image is prepared the way MNIST was made: gray, light digit on a dark background
      (dark ink on paper is inverted), cropped to the digit, scaled to fit 20x20, centred by
      mass in 28x28. --show prints that 28x28 input. Without --weights, the built-in model.
      """,
     """
      Ejemplo:
        convplay predict mi-digito.png
        convplay predict mi-digito.png --explain --explain-out cam.png
        1. 7   0.9731
        2. 1   0.0142
        3. 9   0.0061
      La imagen se prepara como se hizo MNIST: en gris, dígito claro sobre fondo
      oscuro (la tinta oscura sobre papel se invierte), recortada al dígito,
      escalada para caber en 20x20 y centrada por masa en 28x28. --show muestra esa
      entrada de 28x28. Sin --weights, el modelo que trae convplay.
      """),
    ("A PNG, JPEG or .npy image.",
     "Una imagen PNG, JPEG o .npy."),
    ("IMAGE",
     "IMAGEN"),
    ("Weights from `convplay train --save` (default: the built-in model).",
     "Pesos de `convplay train --save` (por defecto: el modelo que trae convplay)."),
    ("Also print the 28x28 input the network sees.",
     "Mostrar también la entrada de 28x28 que ve la red."),
    ("Questions on output shapes and parameter counts, graded and explained with the formula.",
     "Preguntas sobre formas de salida y cantidades de parámetros, corregidas y explicadas con la fórmula."),
    ("""
      Reads one answer per line from stdin: shapes as 26x26x64, "26, 26, 64" or
      "(None, 26, 26, 64)", counts as 640, 649,775 or 649775. Prints the question, the verdict
      and the explanation, and finally 'score: X/K'.
      Examples:
        convplay quiz --plain --seed 7 --count 5 --topic params
        convplay quiz --answer-key --seed 7 --count 20 > key.txt    (homework with its key)
        convplay quiz --seed 7 --count 20 --answers student.txt      (grade a file of answers)
      Progress per topic is kept in $CONVPLAY_HOME, else $XDG_DATA_HOME/convplay, else
      ~/.local/share/convplay (not with --answers or --answer-key).
      """,
     """
      Lee una respuesta por línea de stdin: formas como 26x26x64, "26, 26, 64" o
      "(None, 26, 26, 64)", cantidades como 640, 649,775 o 649775. Muestra la
      pregunta, la corrección y la explicación, y al final 'aciertos: X/K'.
      Ejemplos:
        convplay quiz --plain --seed 7 --count 5 --topic params
        convplay quiz --answer-key --seed 7 --count 20 > clave.txt    (tarea con sus respuestas)
        convplay quiz --seed 7 --count 20 --answers alumno.txt        (corregir un archivo de respuestas)
      El progreso por tema se guarda en $CONVPLAY_HOME, si no en
      $XDG_DATA_HOME/convplay, si no en ~/.local/share/convplay (no con --answers ni
      --answer-key).
      """),
    ("Plain text without colours, for pipes and scripts.",
     "Texto plano sin colores, para tuberías y scripts."),
    ("Same seed, same questions (default: a new seed, printed on stderr).",
     "Misma semilla, mismas preguntas (por defecto: una semilla nueva, indicada en stderr)."),
    ("Number of questions.",
     "Cantidad de preguntas."),
    ("What the questions are about.",
     "El tema de las preguntas."),
    ("Difficulty: 1 (the course's cases), 2 or 3.",
     "Dificultad: 1 (los casos del curso), 2 o 3."),
    ("1|2|3",
     "1|2|3"),
    ("Language of questions and explanations: en or es (default: from LANG).",
     "Idioma de preguntas y explicaciones: en o es (por defecto: según LANG)."),
    ("en|es",
     "en|es"),
    ("Print each question and a line 'answer: X', nothing else.",
     "Mostrar cada pregunta y una línea 'respuesta: X', nada más."),
    ("Grade the answers in this file (one per line) instead of reading stdin.",
     "Corregir las respuestas de este archivo (una por línea) en lugar de leer stdin."),
    ("Show every step of a convolution: the window, each product, the sum, the output cell.",
     "Mostrar cada paso de una convolución: la ventana, cada producto, la suma, la celda de salida."),
    ("""
      Example:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        step 1/9: output[0,0], window rows 0-2, cols 0-2
        60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266
        ...
        output size: (5 + 2*0 - 3)/1 + 1 = 3  ->  3 x 3
      Without --plain, on a terminal, the window is highlighted in the input and the output
      fills in as the steps go.

      The backward pass (one channel), every product of dL/dK and dL/dX, then one SGD step:
        convplay step --backward --plain                  G = ones (L = sum of Y)
        convplay step --backward --target target.txt       G = Y - T (L = 0.5*sum((Y - T)^2))
        convplay step --backward --grad grad.txt --lr 0.001 --lang es
      """,
     """
      Ejemplo:
        convplay step --matrix examples/matrices/course-5x5.txt --kernel sharpen --plain
        paso 1/9: salida[0,0], ventana filas 0-2, columnas 0-2
        60*0 + 113*(-1) + 56*0 + 73*(-1) + 121*5 + 54*(-1) + 131*0 + 99*(-1) + 70*0 = 266
        ...
        tamaño de salida: (5 + 2*0 - 3)/1 + 1 = 3  ->  3 x 3
      Sin --plain, en una terminal, la ventana se resalta en la entrada y la salida
      se completa a medida que avanzan los pasos.

      La pasada hacia atrás (un canal), cada producto de dL/dK y dL/dX, y después un
      paso de SGD:
        convplay step --backward --plain                  G = unos (L = suma de Y)
        convplay step --backward --target objetivo.txt     G = Y - T (L = 0,5*suma((Y - T)^2))
        convplay step --backward --grad grad.txt --lr 0.001 --lang es
      """),
    ("Plain text, no colours or highlighting (for pipes and scripts).",
     "Texto plano, sin colores ni resaltado (para tuberías y scripts)."),
    ("Show only step N (1-based).",
     "Mostrar solo el paso N (desde 1)."),
    ("The backward pass instead: every product of dL/dK and dL/dX, then one SGD step.",
     "En su lugar, la pasada hacia atrás: cada producto de dL/dK y dL/dX, y después un paso de SGD."),
    ("Upstream gradient dL/dY: ones, or a matrix file the output's size.",
     "Gradiente que llega dL/dY: ones (unos), o un archivo con una matriz del tamaño de la salida."),
    ("ones|file",
     "ones|archivo"),
    ("A target matrix T the output's size: L = 0.5*sum((Y - T)^2), so dL/dY = Y - T.",
     "Una matriz objetivo T del tamaño de la salida: L = 0,5*suma((Y - T)^2), así que dL/dY = Y - T."),
    ("Learning rate of the SGD step (default 0.01).",
     "Tasa de aprendizaje del paso de SGD (por defecto 0.01)."),
    ("rate",
     "tasa"),
    ("Language of the backward report: en or es (default: from LANG).",
     "Idioma del informe de la pasada hacia atrás: en o es (por defecto: según LANG)."),
    ("Print a model's layers, output shapes and parameter counts, as Keras's model.summary().",
     "Mostrar las capas, formas de salida y cantidades de parámetros de un modelo, como model.summary() de Keras."),
    ("""
      Examples:
        convplay summary --spec "conv2d(64,3,relu) -> flatten -> dense(10,softmax)" --input 28x28x1
        convplay summary --spec model.txt          (one layer per line, # comments)
        convplay summary --model course3
        convplay summary --list
      Layers: {0}.
      Arguments are Keras's, positional or named: conv2d(32, kernel_size=3, strides=2,
      padding=same, activation=relu), maxpool(2), dense(15, tanh), dropout(0.5), batchnorm,
      trainable=false on any layer.
      """,
     """
      Ejemplos:
        convplay summary --spec "conv2d(64,3,relu) -> flatten -> dense(10,softmax)" --input 28x28x1
        convplay summary --spec modelo.txt         (una capa por línea, comentarios con #)
        convplay summary --model course3
        convplay summary --list
      Capas: {0}. Los argumentos son los de Keras, por posición o por nombre:
      conv2d(32, kernel_size=3, strides=2, padding=same, activation=relu),
      maxpool(2), dense(15, tanh), dropout(0.5), batchnorm, trainable=false en
      cualquier capa.
      """),
    ("A model file: Keras .h5 (full model) or .keras, or a convplay model.",
     "Un archivo de modelo: .h5 de Keras (modelo completo) o .keras, o un modelo de convplay."),
    ("A model spec, or a file that holds one.",
     "Una especificación de modelo, o un archivo que la contiene."),
    ("text|file",
     "texto|archivo"),
    ("A named model (see --list).",
     "Un modelo con nombre (ver --list)."),
    ("name",
     "nombre"),
    ("Input shape for --spec: HxWxC or a flat size.",
     "Forma de entrada para --spec: HxWxC o un tamaño plano."),
    ("List the named models.",
     "Listar los modelos con nombre."),
    ("After the table, explain each row: the output-size formula and the parameter count.",
     "Después de la tabla, explicar cada fila: la fórmula del tamaño de salida y la cantidad de parámetros."),
    ("Train a network on MNIST or Fashion-MNIST and report its test accuracy.",
     "Entrenar una red con MNIST o Fashion-MNIST e informar su accuracy de prueba."),
    ("""
      Examples:
        convplay train --model cnn --epochs 3 --save digits.safetensors --metrics history.json
        convplay train --model softmax --optimizer sgd --lr 0.1 --plain
        convplay train --model "conv2d(16,3,relu) -> maxpool(2) -> flatten -> dense(10,softmax)"
        convplay train --model cnn --limit 2000 --validation-split 0.2 --augment flip,rotate=10,shift=0.1,zoom=0.1
      Models: {0} (see `convplay summary --model NAME`),
      or a spec in `convplay summary --spec`'s language (text or a file); its input is the data set's
      image shape (28x28x1 for MNIST, 32x32x3 for CIFAR-10, --image-size for folders).
      The last validation_split of the training images is held out, as Keras's fit does.
      The last two lines are `test accuracy: ...` and `test loss: ...`.
      """,
     """
      Ejemplos:
        convplay train --model cnn --epochs 3 --save digitos.safetensors --metrics historial.json
        convplay train --model softmax --optimizer sgd --lr 0.1 --plain
        convplay train --model "conv2d(16,3,relu) -> maxpool(2) -> flatten -> dense(10,softmax)"
        convplay train --model cnn --limit 2000 --validation-split 0.2 --augment flip,rotate=10,shift=0.1,zoom=0.1
      Modelos: {0} (ver `convplay summary --model NOMBRE`), o una especificación en
      el lenguaje de `convplay summary --spec` (texto o archivo); su entrada es la
      forma de las imágenes del conjunto de datos (28x28x1 para MNIST, 32x32x3 para
      CIFAR-10, --image-size para carpetas). La última fracción validation_split de
      las imágenes de entrenamiento se reserva, como hace fit de Keras. Las dos
      últimas líneas son `accuracy de prueba: ...` y `pérdida de prueba: ...`.
      """),
    ("A model name, a model spec, or a file holding one (graphs too: examples/specs/).",
     "Un nombre de modelo, una especificación de modelo o un archivo que la contiene (también grafos: examples/specs/)."),
    ("NAME|SPEC|FILE",
     "NOMBRE|ESPEC|ARCHIVO"),
    ("Passes over the training images.",
     "Pasadas por las imágenes de entrenamiento."),
    ("The optimizer, with Keras's defaults.",
     "El optimizador, con los valores por defecto de Keras."),
    ("Learning rate (default: adam/rmsprop 0.001, sgd 0.01).",
     "Tasa de aprendizaje (por defecto: adam/rmsprop 0.001, sgd 0.01)."),
    ("Momentum for sgd and rmsprop.",
     "Momento (momentum) para sgd y rmsprop."),
    ("Seed for the initial weights, shuffling and dropout: same seed, same result.",
     "Semilla de los pesos iniciales, la mezcla y el dropout: misma semilla, mismo resultado."),
    ("Fraction of the training images held out for validation (the last ones, as Keras's validation_split); default 0.",
     "Fracción de las imágenes de entrenamiento reservada para validación (las últimas, como validation_split de Keras); por defecto 0."),
    ("F",
     "F"),
    ("Save the trained weights (safetensors).",
     "Guardar los pesos entrenados (safetensors)."),
    ("Write the per-epoch history as JSON (loss, accuracy, val_loss, val_accuracy).",
     "Escribir el historial por época como JSON (loss, accuracy, val_loss, val_accuracy)."),
    ("Random transforms of the training images, as Keras's RandomFlip/RandomRotation/RandomTranslation/RandomZoom: flip, rotate=DEGREES, shift=FRACTION, zoom=FRACTION.",
     "Transformaciones aleatorias de las imágenes de entrenamiento, como RandomFlip/RandomRotation/RandomTranslation/RandomZoom de Keras: flip, rotate=GRADOS, shift=FRACCIÓN, zoom=FRACCIÓN."),
    ("LIST",
     "LISTA"),
    ("Open the playground (ncurses): Home, or one lesson with --screen.",
     "Abrir el entorno interactivo (ncurses): Inicio, o una lección con --screen."),
    ("""
      Examples:
        convplay tui                                   Home: choose a lesson
        convplay tui --screen conv                     the course's 5x5 matrix and sharpen kernel
        convplay tui --screen padding --padding same --stride 2
        convplay tui --screen pooling --mode avg
        convplay tui --screen rgb --lang es
        convplay tui --screen lab --image photo.jpg       the image lab (no --image: the sample)
        convplay tui --screen train --model cnn --limit 1000 --epochs 2
        convplay tui --screen train --dataset cifar10 --limit 5000   colour images (or folder:PATH --image-size 32x32)
        convplay tui --screen train --finetune --dataset fashion-mnist --limit 6000   the digits model fine-tuned
        convplay tui --screen digit                    draw a digit, see the top 3
        convplay tui --screen quiz --seed 7 --topic params   the same questions as 'convplay quiz --seed 7 --topic params'
        convplay tui --screen summary --model vgg16    walk Keras's summary table layer by layer
        convplay tui --screen summary --model examples/specs/small-cifar.txt --input 32x32x3
        convplay tui --screen summary --model digits --image seven.png   feature maps of a picture
        convplay tui --screen backprop                 backpropagation through a convolution, cell by cell
        convplay tui --screen network --image 7        a test digit through the digits model, layer by layer
        convplay tui --screen transposed --stride 2    transposed convolution (Conv2DTranspose)
        convplay tui --screen conv --keys "Right End" --print 80x24   one frame as text
      In a lesson, the bottom lines list its keys and ? explains it; q goes back (and quits
      a lesson opened with --screen).
      """,
     """
      Ejemplos:
        convplay tui                                   Inicio: elegir una lección
        convplay tui --screen conv                     la matriz 5x5 y el kernel sharpen del curso
        convplay tui --screen padding --padding same --stride 2
        convplay tui --screen pooling --mode avg
        convplay tui --screen rgb --lang es
        convplay tui --screen lab --image foto.jpg        el laboratorio de imágenes (sin --image: la de muestra)
        convplay tui --screen train --model cnn --limit 1000 --epochs 2
        convplay tui --screen train --dataset cifar10 --limit 5000   imágenes en color (o folder:RUTA --image-size 32x32)
        convplay tui --screen train --finetune --dataset fashion-mnist --limit 6000   el modelo de dígitos ajustado
        convplay tui --screen digit                    dibujar un dígito y ver las 3 clases más probables
        convplay tui --screen quiz --seed 7 --topic params   las mismas preguntas que 'convplay quiz --seed 7 --topic params'
        convplay tui --screen summary --model vgg16    recorrer la tabla de resumen de Keras capa a capa
        convplay tui --screen summary --model examples/specs/small-cifar.txt --input 32x32x3
        convplay tui --screen summary --model digits --image siete.png   mapas de características de una imagen
        convplay tui --screen backprop                 retropropagación en una convolución, celda a celda
        convplay tui --screen network --image 7        un dígito de prueba por el modelo de dígitos, capa a capa
        convplay tui --screen transposed --stride 2    convolución transpuesta (Conv2DTranspose)
        convplay tui --screen conv --keys "Right End" --print 80x24   un cuadro como texto
      En una lección, las líneas de abajo muestran sus teclas y ? la explica; q
      vuelve (y sale de una lección abierta con --screen).
      """),
    ("The lesson to open: home, conv, padding, pooling, rgb, train, digit, lab, quiz, summary, network, backprop or transposed.",
     "La lección que se abre: home, conv, padding, pooling, rgb, train, digit, lab, quiz, summary, network, backprop o transposed."),
    ("A preset name or a matrix file (rgb: one 3-channel filter).",
     "Un kernel predefinido o un archivo con una matriz (rgb: un filtro de 3 canales)."),
    ("name|file",
     "nombre|archivo"),
    ("Start with the kernel turned 180 degrees (true convolution).",
     "Empezar con el kernel girado 180 grados (convolución verdadera)."),
    ("The bias of the (first) filter.",
     "El bias del (primer) filtro."),
    ("Pooling: max or avg.",
     "Pooling: max o avg."),
    ("max|avg",
     "max|avg"),
    ("Pooling: window size.",
     "Pooling: tamaño de la ventana."),
    ("Quiz: same seed, same questions (as 'convplay quiz --seed').",
     "Quiz: misma semilla, mismas preguntas (como 'convplay quiz --seed')."),
    ("Quiz: what the questions are about.",
     "Quiz: el tema de las preguntas."),
    ("Quiz: difficulty 1, 2 or 3.",
     "Quiz: dificultad 1, 2 o 3."),
    ("Image lab: a PNG or JPEG to open (default: the built-in sample); summary: the picture whose feature maps a model with weights shows.",
     "Laboratorio de imágenes: un PNG o JPEG para abrir (por defecto: la muestra incluida); summary: la imagen cuyos mapas de características muestra un modelo con pesos."),
    ("network: the MNIST test digit to show (0-9999; needs the data set, see 'convplay data').",
     "network: el dígito de prueba de MNIST que se muestra (0-9999; requiere el conjunto de datos, ver 'convplay data')."),
    ("summary: input shape for a model spec or a course model (default 28x28x1); lab: for the spec --weights go on (default 224x224x3).",
     "summary: forma de entrada para una especificación de modelo o un modelo del curso (por defecto 28x28x1); lab: la de la especificación a la que van los pesos de --weights (por defecto 224x224x3)."),
    ("Keys to send first, as tmux names them (\"Right Space End z\").",
     "Teclas que se envían primero, con los nombres de tmux (\"Right Space End z\")."),
    ("keys",
     "teclas"),
    ("Print one frame of this size as text instead of running (no terminal needed).",
     "Mostrar un cuadro de este tamaño como texto en lugar de ejecutar (no requiere terminal)."),
    ("WxH",
     "ANCHOxALTO"),
    ("Playground language: en or es (default: from LANG).",
     "Idioma del entorno interactivo: en o es (por defecto: según LANG)."),
    ("train: a model name, a model spec, or a file holding one; summary: also vgg16, resnet50, ... or a saved model file; lab: the classifier Grad-CAM explains (a model file; default: the built-in digits model).",
     "train: un nombre de modelo, una especificación o un archivo que la contiene; summary: también vgg16, resnet50, ... o un archivo de modelo guardado; lab: el clasificador que explica Grad-CAM (un archivo de modelo; por defecto: el modelo de dígitos incorporado)."),
    ("train: passes over the training images.",
     "train: pasadas por las imágenes de entrenamiento."),
    ("train: where w saves the trained weights.",
     "train: dónde guarda w los pesos entrenados."),
    ("train: fine-tune a saved model (as `convplay finetune`) instead of training --model.",
     "train: ajustar un modelo guardado (como `convplay finetune`) en lugar de entrenar --model."),
    ("train --finetune: the saved model (default: the built-in digits model), or a pretrained base: vgg16, resnet50, inceptionv3, xception, mobilenet or a Keras model file.",
     "train --finetune: el modelo guardado (por defecto: el modelo de dígitos que trae convplay), o una base preentrenada: vgg16, resnet50, inceptionv3, xception, mobilenet o un archivo de modelo de Keras."),
    ("train --base NAME: Glorot-uniform weights from --seed instead of Keras's cache (as finetune --random-weights).",
     "train --base NOMBRE: pesos Glorot uniformes a partir de --seed en lugar de la caché de Keras (como finetune --random-weights)."),
    ("train --base NAME: step 2 trains all of the base, or its last N layers.",
     "train --base NOMBRE: el paso 2 entrena toda la base, o sus últimas N capas."),
    ("train --base NAME: the size images are resized to (default: the base's minimum, 32 for most).",
     "train --base NOMBRE: el tamaño al que se redimensionan las imágenes (por defecto: el mínimo de la base, 32 para la mayoría)."),
    ("train --base NAME: the new head's first layer, global average pooling or flatten (as finetune --pooling).",
     "train --base NOMBRE: la primera capa de la nueva cabeza, global average pooling o flatten (como finetune --pooling)."),
    ("train --base NAME: units of the new head's hidden Dense layer, 0 for none (as finetune --dense).",
     "train --base NOMBRE: unidades de la capa Dense oculta de la nueva cabeza, 0 para ninguna (como finetune --dense)."),
    ("train: random transforms of the training images each epoch, from scratch or on a pretrained base (as train --augment); also the form's Augmentation row.",
     "train: transformaciones aleatorias de las imágenes de entrenamiento en cada época, desde cero o sobre una base preentrenada (como train --augment); también la fila Aumento de datos del formulario."),
    ("train --finetune: epochs with the base frozen.",
     "train --finetune: épocas con la base congelada."),
    ("train --finetune: epochs with every layer training.",
     "train --finetune: épocas con todas las capas entrenando."),
    ("Download the ImageNet weights keras.applications publishes, or list what is cached.",
     "Descargar los pesos de ImageNet que publica keras.applications, o listar los que están en caché."),
    ("Download a network's published weights into Keras's cache, checking Keras's hash.",
     "Descargar los pesos publicados de una red a la caché de Keras, verificando el hash de Keras."),
    ("""
      Examples:
        convplay weights fetch vgg16
        convplay weights fetch resnet50 --no-top
      The same files, addresses and hashes as keras.applications, into ~/.keras/models
      (or $KERAS_HOME/models): a file already downloaded by Keras is found and not
      fetched again. A file that fails its hash is refused and not kept; an interrupted
      download resumes (or restarts) when run again.
      CONVPLAY_WEIGHTS_MIRROR=URL fetches URL/<file name> instead, with the same check.
      """,
     """
      Ejemplos:
        convplay weights fetch vgg16
        convplay weights fetch resnet50 --no-top
      Los mismos archivos, direcciones y hashes que keras.applications, en
      ~/.keras/models (o $KERAS_HOME/models): un archivo ya descargado por Keras se
      encuentra y no se vuelve a descargar. Un archivo que no pasa su hash se
      rechaza y no se guarda; una descarga interrumpida se reanuda (o vuelve a
      empezar) al ejecutar de nuevo. CONVPLAY_WEIGHTS_MIRROR=URL descarga
      URL/<nombre del archivo> en su lugar, con la misma verificación.
      """),
    ("vgg16, vgg19, resnet50, inceptionv3, xception or mobilenet.",
     "vgg16, vgg19, resnet50, inceptionv3, xception o mobilenet."),
    ("The convolutional base only (include_top=False), for fine-tuning.",
     "Solo la base convolucional (include_top=False), para ajuste fino."),
    ("Show which published weights are in Keras's cache.",
     "Mostrar qué pesos publicados están en la caché de Keras."),
    ("Refuse images with more pixels than this (checked from the header, before decoding).",
     "Rechazar imágenes con más píxeles que esto (se verifica en la cabecera, antes de decodificar)."),
    ("A PNG, JPEG or NumPy .npy image.",
     "Una imagen PNG, JPEG o .npy de NumPy."),
    ("mnist, fashion-mnist, cifar10 or folder:PATH (one subfolder per class).",
     "mnist, fashion-mnist, cifar10 o folder:RUTA (una subcarpeta por clase)."),
    ("Folder with the data set's files (default: $CONVPLAY_DATA, then ~/.cache/convplay/datasets/NAME).",
     "Carpeta con los archivos del conjunto de datos (por defecto: $CONVPLAY_DATA, luego ~/.cache/convplay/datasets/NOMBRE)."),
    ("Train on the first N training images only (the test set stays whole; see --test-limit).",
     "Entrenar solo con las primeras N imágenes de entrenamiento (el conjunto de prueba queda entero; ver --test-limit)."),
    ("Evaluate on the first N test images only (default: the whole test set).",
     "Evaluar solo con las primeras N imágenes de prueba (por defecto: todo el conjunto de prueba)."),
    ("folder: size every image is resized to (bilinear).",
     "folder: tamaño al que se redimensiona cada imagen (bilineal)."),
    ("HxW",
     "ALTOxANCHO"),
    ("folder: rgb or gray.",
     "folder: rgb o gray."),
    ("MODE",
     "MODO"),
    ("folder: fraction of the (seeded, shuffled) images used as the test set (a folder with train/ and test/ is used as given).",
     "folder: fracción de las imágenes (mezcladas con semilla) que forma el conjunto de prueba (una carpeta con train/ y test/ se usa tal cual)."),
    ("folder: seed of the shuffle before the split.",
     "folder: semilla de la mezcla antes de la separación."),
    ("folder: classes from file names instead of subfolders; the first group is the class, e.g. '_([0-5])[LR]\\.png$'.",
     "folder: clases tomadas de los nombres de archivo en lugar de subcarpetas; el primer grupo es la clase, p. ej. '_([0-5])[LR]\\.png$'."),
    ("REGEX",
     "REGEX"),
    ("Input matrix file: numbers separated by spaces, tabs or commas, one row per line, # comments, a blank line between channels. '-' reads stdin. Default: the course's 5x5 example.",
     "Archivo con la matriz de entrada: números separados por espacios, tabulaciones o comas, una fila por línea, comentarios con #, una línea en blanco entre canales. '-' lee stdin. Por defecto: el ejemplo 5x5 del curso."),
    ("A preset name (see 'convplay kernels') or a matrix file; several blocks make a multi-channel kernel.",
     "Un kernel predefinido (ver 'convplay kernels') o un archivo con una matriz; varios bloques forman un kernel de varios canales."),
    ("True convolution: rotate the kernel 180 degrees first (without it: cross-correlation, as Keras and PyTorch compute).",
     "Convolución verdadera: girar antes el kernel 180 grados (sin esto: correlación cruzada, como calculan Keras y PyTorch)."),
    ("A bias added to every output cell, as a Conv2D filter has.",
     "Un bias que se suma a cada celda de salida, como tiene un filtro de Conv2D."),
    ("valid, same (Keras rule), or N zeros on every side.",
     "valid, same (regla de Keras) o N ceros en cada lado."),
    ("valid|same|N",
     "valid|same|N"),
    ("Step of the window: N, or RxC for rows x columns.",
     "Paso de la ventana: N, o FxC para filas x columnas."),
    ("Gap between kernel taps (1 = dense kernel).",
     "Separación entre posiciones del kernel (1 = kernel denso)."),
    ("valid, same (Keras rule, output the size of the input), or N zeros on every side.",
     "valid, same (regla de Keras, salida del tamaño de la entrada) o N ceros en cada lado."),
    // Value names ArgumentParser makes from property names (`--seed <seed>`).
    ("seed", "semilla"), ("options", "opciones"), ("subcommand", "subcomando"),
    ("preprocess", "preprocesamiento"), ("topic", "tema"), ("mode", "modo"), ("method", "método"),
    ("from", "origen"), ("count", "cantidad"), ("screen", "pantalla"), ("optimizer", "optimizador"),
    ("normalize", "normalización"), ("epochs", "épocas"),
    ("Language of help, output and messages: en or es (default: from LANG).",
     "Idioma de la ayuda, la salida y los mensajes: en o es (por defecto: según LANG)."),
    // --weights in any format, --arch (predict, evaluate, the summary screen)
    ("Weights: a model saved by `convplay train --save`, Keras .h5/.keras, PyTorch .pth, safetensors or .npz (default: the built-in model).",
     "Pesos: un modelo guardado con `convplay train --save`, .h5/.keras de Keras, .pth de PyTorch, safetensors o .npz (por defecto: el modelo que trae convplay)."),
    ("The architecture of a --weights file that does not state one (a model spec or spec file).",
     "La arquitectura de un archivo de --weights que no la indica (una especificación de modelo o un archivo que la contiene)."),
    ("The architecture of a --weights file that does not state one (a model spec or spec file, on 28x28x1).",
     "La arquitectura de un archivo de --weights que no la indica (una especificación de modelo o un archivo que la contiene, sobre 28x28x1)."),
    ("SPEC", "ESPECIFICACIÓN"),
    ("A model file: Keras .h5 (full model), .keras or its JSON config, or a convplay model.",
     "Un archivo de modelo: .h5 de Keras (modelo completo), .keras o su configuración JSON, o un modelo de convplay."),
    ("summary, lab: weights in any format (.h5, .keras, .pth, safetensors, .npz); --model names their architecture when the file does not.",
     "summary, lab: pesos en cualquier formato (.h5, .keras, .pth, safetensors, .npz); --model indica su arquitectura cuando el archivo no la nombra."),
    // Grad-CAM (classify, predict)
    ("Show where the network looked (Grad-CAM of the last convolutional layer) over the image, in the terminal.",
     "Mostrar dónde miró la red (Grad-CAM de la última capa convolucional) sobre la imagen, en la terminal."),
    ("Write the image with the Grad-CAM heat map blended over it (PNG).",
     "Escribir la imagen con el mapa de calor de Grad-CAM superpuesto (PNG)."),
    ("FILE.png", "ARCHIVO.png"),
    ("Write the raw Grad-CAM map at the layer's resolution (float32 .npy).",
     "Escribir el mapa de Grad-CAM sin procesar, a la resolución de la capa (.npy float32)."),
    ("The class Grad-CAM explains (default: the top one).",
     "La clase que explica Grad-CAM (por defecto: la más probable)."),
    ("NAME|INDEX", "NOMBRE|ÍNDICE"),
    ("The layer Grad-CAM looks at (default: the last convolution, with its activation).",
     "La capa que observa Grad-CAM (por defecto: la última convolución, con su activación)."),
    // finetune on a pretrained base
    ("A model saved by `train --save`, `default` for the built-in one, a keras.applications name (vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet) or a Keras model file.",
     "Un modelo guardado con `train --save`, `default` para el que trae convplay, un nombre de keras.applications (vgg16, vgg19, resnet50, inceptionv3, xception, mobilenet) o un archivo de modelo de Keras."),
    ("NAME|FILE", "NOMBRE|ARCHIVO"),
    ("The base's weights (.h5, .keras; .pth for VGG); default: Keras's cache.",
     "Los pesos de la base (.h5, .keras; .pth para VGG); por defecto: la caché de Keras."),
    ("Step 2 trains all of the pretrained base, or its last N layers (base_model.layers[-N:]).",
     "El paso 2 entrena toda la base preentrenada, o sus últimas N capas (base_model.layers[-N:])."),
    ("all|N", "all|N"),
    ("The new head's first layer on a pretrained base: global average pooling or flatten.",
     "La primera capa de la nueva cabeza sobre una base preentrenada: global average pooling o flatten."),
    ("avg|flatten", "avg|flatten"),
    ("Units of the new head's hidden Dense layer (relu) on a pretrained base; 0 for none.",
     "Unidades de la capa Dense oculta (relu) de la nueva cabeza sobre una base preentrenada; 0 para ninguna."),
    ("Size the images are resized to for a pretrained base (default: theirs, at least the base's minimum).",
     "Tamaño al que se redimensionan las imágenes para una base preentrenada (por defecto: el suyo, al menos el mínimo de la base)."),
    ("Fraction of the training images held out for validation (the last ones, as Keras's validation_split).",
     "Fracción de las imágenes de entrenamiento apartada para validación (las últimas, como validation_split de Keras)."),
    ("Random transforms of the training images each epoch (pretrained base only; turns the feature cache off).",
     "Transformaciones aleatorias de las imágenes de entrenamiento en cada época (solo con base preentrenada; desactiva la caché de características)."),
    ("Step 1 on a pretrained base runs the frozen base on every batch instead of once per image.",
     "En el paso 1 sobre una base preentrenada, pasar cada lote por la base congelada en lugar de una vez por imagen."),
    ("A named base with Glorot-uniform weights from --seed instead of ImageNet's: the same steps, offline (the numbers mean nothing).",
     "Una base con nombre con pesos Glorot uniformes a partir de --seed en lugar de los de ImageNet: los mismos pasos, sin conexión (los números no significan nada)."),
  ]

  // MARK: - The command line's output (stdout and notes)

  static let commandLineOutput: [(String, String)] = [
    // step, pool, conv (StepReport and the engine's formula lines)
    ("output:", "salida:"), ("input:", "entrada:"), ("window", "ventana"), ("{0} window", "ventana {0}"),
    ("channel {0}", "canal {0}"), ("output[{0},{1}]", "salida[{0},{1}]"), (" (channel {0})", " (canal {0})"),
    ("step {0}/{1}: {2}, window rows {3}, cols {4}", "paso {0}/{1}: {2}, ventana filas {3}, columnas {4}"),
    (" of the padded input", " de la entrada con padding"),
    ("padding '{0}': {1} above, {2} below, {3} left, {4} right; padded input {5} x {6}",
     "padding '{0}': {1} arriba, {2} abajo, {3} a la izquierda, {4} a la derecha; entrada con padding {5} x {6}"),
    ("output size: rows {0}, columns {1}  ->  {2}", "tamaño de salida: filas {0}, columnas {1}  ->  {2}"),
    ("output size: {0}", "tamaño de salida: {0}"),
    ("note: {0}", "nota: {0}"),
    ("{0} (Keras and PyTorch floor the division)", "{0} (Keras y PyTorch redondean la división hacia abajo)"),
    ("note: {0} (Keras and PyTorch floor the division)", "nota: {0} (Keras y PyTorch redondean la división hacia abajo)"),
    ("{0}: the floor drops only padding zeros; every row is visited",
     "{0}: el redondeo hacia abajo solo deja fuera ceros de padding; se visitan todas las filas"),
    ("{0}: the floor drops only padding zeros; every column is visited",
     "{0}: el redondeo hacia abajo solo deja fuera ceros de padding; se visitan todas las columnas"),
    ("{0}: row {1} of the input is never visited", "{0}: la fila {1} de la entrada nunca se visita"),
    ("{0}: rows {1} of the input are never visited", "{0}: las filas {1} de la entrada nunca se visitan"),
    ("{0}: column {1} of the input is never visited", "{0}: la columna {1} de la entrada nunca se visita"),
    ("{0}: columns {1} of the input are never visited", "{0}: las columnas {1} de la entrada nunca se visitan"),
    // kernels
    (" (also: {0})", " (también: {0})"), ("1/9 x all ones", "1/9 x todos unos"),
    // summary --explain
    ("{0} parameters", "{0} parámetros"),
    ("{0} parameters ({1} non-trainable)", "{0} parámetros ({1} no entrenables)"),
    // info
    ("file:     {0}", "archivo:  {0}"), ("format:   {0}", "formato:  {0}"),
    ("size:     {0} x {1} ({2} pixels, {3})", "tamaño:   {0} x {1} ({2} píxeles, {3})"),
    ("read as:  {0}", "se lee:   {0}"), ("  {0}  min {1}  mean {2}  max {3}", "  {0}  mín {1}  media {2}  máx {3}"),
    ("as np.load returns it", "como lo devuelve np.load"),
    ("as skimage.io.imread returns it", "como lo devuelve skimage.io.imread"),
    ("(rows, columns)", "(filas, columnas)"), ("(rows, columns, channels)", "(filas, columnas, canales)"),
    ("; convplay works on {0}", "; convplay trabaja con {0}"), ("; as_gray=True gives {0}", "; as_gray=True da {0}"),
    ("interlaced (Adam7)", "entrelazado (Adam7)"), ("not interlaced", "no entrelazado"),
    ("progressive", "progresivo"), ("baseline", "básico (baseline)"),
    ("1 channel (gray)", "1 canal (gris)"), ("{0} channels (R, G, B)", "{0} canales (R, G, B)"),
    (", alpha composited on white", ", alfa compuesto sobre blanco"), (", palette expanded", ", paleta expandida"),
    (", 16-bit values / 257", ", valores de 16 bits / 257"), ("gray", "gris"), ("rgb", "RGB"),
    ("grayAlpha", "gris con alfa"), ("rgbAlpha", "RGB con alfa"), ("palette", "paleta"), ("cmyk", "CMYK"),
    // gray, channels, filter
    ("{0}: {1}x{2} gray, {3}", "{0}: {1}x{2} gris, {3}"),
    ("{0}: {1}x{2} gray, kernel {3}, padding {4}, normalize {5}, values {6}",
     "{0}: {1}x{2} gris, kernel {3}, padding {4}, normalize {5}, valores {6}"),
    ("{0}: {1}x{2} gray, kernel {3}, padding {4}, raw float32, values {5}",
     "{0}: {1}x{2} gris, kernel {3}, padding {4}, float32 tal cual, valores {5}"),
    ("{0}: {1}x{2} RGB, kernel {3}, padding {4}, normalize {5}, values {6}",
     "{0}: {1}x{2} RGB, kernel {3}, padding {4}, normalize {5}, valores {6}"),
    ("{0}: {1}x{2} RGB, kernel {3}, padding {4}, raw float32, values {5}",
     "{0}: {1}x{2} RGB, kernel {3}, padding {4}, float32 tal cual, valores {5}"),
    // data, weights
    ("{0}: not found (convplay data fetch {1})", "{0}: no encontrado (convplay data fetch {1})"),
    ("downloading {0} from {1}", "descargando {0} desde {1}"), ("downloading {0}", "descargando {0}"),
    ("{0}: checksums OK, stored in {1}", "{0}: sumas de control correctas, guardado en {1}"),
    ("{0}: checksum OK, stored in {1}", "{0}: suma de control correcta, guardado en {1}"),
    ("cache: {0}", "caché: {0}"),
    ("{0}not downloaded (convplay weights fetch {1})", "{0}no descargado (convplay weights fetch {1})"),
    ("{0}: hash OK, in {1}", "{0}: hash correcto, en {1}"),
    ("{0}: no published hash, in {1}", "{0}: sin hash publicado, en {1}"),
    // train, evaluate, finetune
    ("Epoch {0}/{1}", "Época {0}/{1}"), ("epoch {0} - {1}", "época {0} - {1}"),
    ("training: {0} images in {1}s ({2} images/s)", "entrenamiento: {0} imágenes en {1}s ({2} imágenes/s)"),
    ("note: evaluated on the first {0} test images only (--test-limit)",
     "nota: evaluado solo con las primeras {0} imágenes de prueba (--test-limit)"),
    ("test accuracy: {0}", "accuracy de prueba: {0}"), ("test loss: {0}", "pérdida de prueba: {0}"),
    ("{0} (built-in) on {1}: {2} test images", "{0} (el que trae convplay) con {1}: {2} imágenes de prueba"),
    ("{0} on {1}: {2} test images", "{0} con {1}: {2} imágenes de prueba"),
    ("{0}: {1} images in {2} classes ({3}); {4} for training, {5} for testing ({6})",
     "{0}: {1} imágenes en {2} clases ({3}); {4} para entrenamiento, {5} para prueba ({6})"),
    ("train/ and test/ as given", "train/ y test/ tal como están"), ("split with seed {0}", "separadas con la semilla {0}"),
    ("phase {0} (base frozen): adam lr {1}, {2} epoch", "fase {0} (base congelada): adam lr {1}, {2} época"),
    ("phase {0} (base frozen): adam lr {1}, {2} epochs", "fase {0} (base congelada): adam lr {1}, {2} épocas"),
    ("phase {0} (all layers): adam lr {1}, {2} epoch", "fase {0} (todas las capas): adam lr {1}, {2} época"),
    ("phase {0} (all layers): adam lr {1}, {2} epochs", "fase {0} (todas las capas): adam lr {1}, {2} épocas"),
    ("phase {0}: test accuracy {1} - test loss {2} - {3}", "fase {0}: accuracy de prueba {1} - pérdida de prueba {2} - {3}"),
    ("fine-tuned: test accuracy {0} after {1}s of training", "ajustado: accuracy de prueba {0} tras {1}s de entrenamiento"),
    ("from scratch: same architecture, random weights, adam lr {0}, {1}s budget",
     "desde cero: misma arquitectura, pesos aleatorios, adam lr {0}, {1}s de presupuesto"),
    // classify, import
    ("{0} layers, {1} random weights ({2}), drawn in {3} ({4})", "{0} capas, {1} pesos aleatorios ({2}), generados en {3} ({4})"),
    ("{0}: {1} weights ({2}), loaded in {3}", "{0}: {1} pesos ({2}), cargados en {3}"),
    ("  {0} -> resized to {1}, preprocessing {2}", "  {0} -> redimensionada a {1}, preprocesamiento {2}"),
    ("random weights: the classes below mean nothing yet", "pesos aleatorios: las clases de abajo todavía no significan nada"),
    ("time: {0} (forward pass {1}); peak memory {2} (weights {3})",
     "tiempo: {0} (pasada hacia adelante {1}); memoria máxima {2} (pesos {3})"),
    ("These weights are random. To classify for real, use the published ones:",
     "Estos pesos son aleatorios. Para clasificar de verdad, usar los publicados:"),
    ("  convplay weights fetch vgg16        (or copy vgg16_weights_tf_dim_ordering_tf_kernels.h5 into ~/.keras/models)",
     "  convplay weights fetch vgg16        (o copiar vgg16_weights_tf_dim_ordering_tf_kernels.h5 en ~/.keras/models)"),
    ("class {0}", "clase {0}"),
    ("probabilities ({0} x {1}, float32) written to {2}", "probabilidades ({0} x {1}, float32) escritas en {2}"),
    ("imported {0} tensors, {1} weights ({2} layout) {3}", "importados {0} tensores, {1} pesos (disposición {2}) {3}"),
    ("preprocessing for classify: {0}", "preprocesamiento para classify: {0}"),
    // quiz
    ("answer: {0}", "respuesta: {0}"),
    ("seed {0} (use --seed {0} to get these questions again)", "semilla {0} (usar --seed {0} para repetir estas preguntas)"),
    ("progress not saved: {0}", "progreso no guardado: {0}"),
    ("no more answers: 1 question left unanswered", "no hay más respuestas: 1 pregunta quedó sin responder"),
    ("no more answers: {0} questions left unanswered", "no hay más respuestas: {0} preguntas quedaron sin responder"),
    // convplay without a terminal
    ("The playground needs a terminal (stdin and stdout). Without one, run for example:",
     "El entorno interactivo necesita una terminal (stdin y stdout). Sin ella, ejecutar por ejemplo:"),
    ("  convplay step --plain                  every step of the course's 5x5 convolution",
     "  convplay step --plain                  cada paso de la convolución 5x5 del curso"),
    ("  convplay tui --screen conv --print 80x24   one frame of the playground as text",
     "  convplay tui --screen conv --print 80x24   un cuadro del entorno interactivo como texto"),
  ]

  // MARK: - The command line's error lines (`convplay: ...` on stderr)

  static let commandLineErrors: [(String, String)] = [
    ("--random-weights needs a named base: --base {0}", "--random-weights necesita una base con nombre: --base {0}"),
    ("--random-weights, --unfreeze and --base-input belong to a pretrained base (--base vgg16, mobilenet, ...)",
     "--random-weights, --unfreeze y --base-input corresponden a una base preentrenada (--base vgg16, mobilenet, ...)"),
    ("--pooling and --dense shape the head on a pretrained base (--base vgg16, mobilenet, ...)",
     "--pooling y --dense dan forma a la cabeza sobre una base preentrenada (--base vgg16, mobilenet, ...)"),
    ("--augment trains from scratch or on a pretrained base (--base vgg16, mobilenet, ...), not a saved model's two phases",
     "--augment entrena desde cero o sobre una base preentrenada (--base vgg16, mobilenet, ...), no en las dos fases de un modelo guardado"),
    ("--dense must be between 0 and 65536 (got {0})", "--dense debe estar entre 0 y 65536 (se recibió {0})"),
    // ArgumentParser's own
    ("{0} (see '{1}')", "{0} (ver '{1}')"),
    ("Missing expected argument '{0}'", "Falta el argumento obligatorio '{0}'"),
    ("Missing value for '{0}'", "Falta el valor de '{0}'"),
    ("Unknown option '{0}'. Did you mean '{1}'?", "Opción desconocida '{0}'. ¿Se quiso escribir '{1}'?"),
    ("Unknown option '{0}'", "Opción desconocida '{0}'"),
    ("Unexpected argument '{0}'", "Argumento inesperado '{0}'"),
    ("{0} unexpected arguments: {1}", "{0} argumentos inesperados: {1}"),
    ("The value '{0}' is invalid for '{1}'. Please provide one of '{2}'.",
     "El valor '{0}' no es válido para '{1}'. Indicar uno de '{2}'."),
    ("The value '{0}' is invalid for '{1}'", "El valor '{0}' no es válido para '{1}'"),
    ("The value '{0}' is invalid.", "El valor '{0}' no es válido."),
    ("Value to be set with flag '{0}' had already been set with flag '{1}'",
     "El valor de '{0}' ya se había fijado con '{1}'"),
    ("bad command line", "línea de comandos incorrecta"),
    ("--lang must be en or es (got '{0}')", "--lang debe ser en o es (se recibió '{0}')"),
    ("--lang needs a value: en or es", "--lang necesita un valor: en o es"),
    // files and matrices
    ("{0}: no such file or not readable", "{0}: no existe el archivo o no se puede leer"),
    ("{0}: no such file", "{0}: no existe el archivo"),
    ("cannot read {0}: no such file", "no se puede leer {0}: no existe el archivo"),
    ("{0}: is a directory, not a file", "{0}: es una carpeta, no un archivo"),
    ("cannot read {0}: is a directory, not a file", "no se puede leer {0}: es una carpeta, no un archivo"),
    ("{0}: is a named pipe (FIFO), not a regular file (to read a program's output, use '-' or <(program))",
     "{0}: es una tubería con nombre (FIFO), no un archivo común (para leer la salida de un programa, usar '-' o <(programa))"),
    ("{0}: is a device, not a regular file", "{0}: es un dispositivo, no un archivo común"),
    ("{0}: is a socket, not a regular file", "{0}: es un socket, no un archivo común"),
    ("{0}: is not a regular file", "{0}: no es un archivo común"),
    ("{0}: cannot read: {1}", "{0}: no se puede leer: {1}"),
    ("{0}: names a folder, not a file", "{0}: nombra una carpeta, no un archivo"),
    ("{0}: exists and is not a regular file", "{0}: existe y no es un archivo común"),
    ("{0}: the folder {1} does not exist", "{0}: la carpeta {1} no existe"),
    ("{0}: cannot write in {1}: {2}", "{0}: no se puede escribir en {1}: {2}"),
    ("{0} (checked before starting)", "{0} (comprobado antes de empezar)"),
    ("{0}: is a directory, not a matrix file", "{0}: es una carpeta, no un archivo con una matriz"),
    ("{0}: more than 16 MB, too large for a text file of numbers", "{0}: más de 16 MB, demasiado grande para un archivo de texto con números"),
    ("{0}: not a text file (expected numbers in UTF-8 text)", "{0}: no es un archivo de texto (se esperaban números en texto UTF-8)"),
    ("{0}: cannot open: {1}", "{0}: no se puede abrir: {1}"),
    ("No such file or directory", "No existe el archivo o la carpeta"),
    ("Permission denied", "Permiso denegado"), ("Is a directory", "Es una carpeta"),
    ("{0}: output name must end in .png, .jpg, .jpeg or .npy", "{0}: el nombre de salida debe terminar en .png, .jpg, .jpeg o .npy"),
    ("{0}: the directory '{1}' does not exist", "{0}: la carpeta '{1}' no existe"),
    ("{0}: exists and is not a directory", "{0}: existe y no es una carpeta"),
    ("{0}: cannot create the directory", "{0}: no se puede crear la carpeta"),
    // options
    ("{0} must be N or RxC, for example 2 or 2x1 (got '{1}')", "{0} debe ser N o FxC, por ejemplo 2 o 2x1 (se recibió '{1}')"),
    ("{0} must be at least 1 (got {1})", "{0} debe ser al menos 1 (se recibió {1})"),
    ("{0} must be between {1} and {2} (got {3})", "{0} debe estar entre {1} y {2} (se recibió {3})"),
    ("{0} must be 1, 2 or 3 (got {1})", "{0} debe ser 1, 2 o 3 (se recibió {1})"),
    ("--only must be between 1 and {0} (got {1})", "--only debe estar entre 1 y {0} (se recibió {1})"),
    ("--only belongs to the forward steps (without --backward)", "--only corresponde a los pasos hacia adelante (sin --backward)"),
    ("--grad, --target and --lr belong to --backward", "--grad, --target y --lr corresponden a --backward"),
    ("give --grad or --target, not both", "indicar --grad o --target, no ambos"),
    ("--backward takes a one-channel matrix and kernel (this input has {0} channels, the kernel {1})",
     "--backward toma una matriz y un kernel de un canal (esta entrada tiene {0} canales, el kernel {1})"),
    ("--backward traces the cross-correlation Keras computes: leave out --flip",
     "--backward sigue la correlación cruzada que calcula Keras: quitar --flip"),
    ("--lr must be a positive number (got {0})", "--lr debe ser un número positivo (se recibió {0})"),
    ("unknown kernel '{0}': not a preset (see 'convplay kernels') and no such file",
     "kernel desconocido '{0}': no es un kernel predefinido (ver 'convplay kernels') ni un archivo existente"),
    ("unknown kernel '{0}'; 'convplay kernels' lists them", "kernel desconocido '{0}'; 'convplay kernels' los lista"),
    ("--limit must be at least 1 (got {0})", "--limit debe ser al menos 1 (se recibió {0})"),
    ("--test-limit must be at least 1 (got {0})", "--test-limit debe ser al menos 1 (se recibió {0})"),
    ("--epochs must be between 1 and 50 (got {0})", "--epochs debe estar entre 1 y 50 (se recibió {0})"),
    ("--count must be between 1 and 10000 (got {0})", "--count debe estar entre 1 y 10000 (se recibió {0})"),
    ("--level must be 1, 2 or 3 (got {0})", "--level debe ser 1, 2 o 3 (se recibió {0})"),
    ("--answer-key and --answers do not go together", "--answer-key y --answers no van juntos"),
    ("--max-pixels must be at least 1 (got {0})", "--max-pixels debe ser al menos 1 (se recibió {0})"),
    ("--repeat-count must be at least 1", "--repeat-count debe ser al menos 1"),
    ("--method must be average, luminance or bt601: none keeps the colours",
     "--method debe ser average, luminance o bt601: none conserva los colores"),
    ("give a model FILE, --spec or --model, one of them", "indicar un ARCHIVO de modelo, --spec o --model, solo uno"),
    ("give --spec TEXT|FILE or --model NAME (see 'convplay summary --help')",
     "indicar --spec TEXTO|ARCHIVO o --model NOMBRE (ver 'convplay summary --help')"),
    ("give either --spec or --model, not both", "indicar --spec o --model, no ambos"),
    ("--input must be a shape such as {0} (got '{1}')", "--input debe ser una forma como {0} (se recibió '{1}')"),
    ("--input must be a shape such as 28x28x1 or 784 (got '{0}')", "--input debe ser una forma como 28x28x1 o 784 (se recibió '{0}')"),
    ("--input must be a shape such as 28x28x1 or 32x32x3 (got '{0}')", "--input debe ser una forma como 28x28x1 o 32x32x3 (se recibió '{0}')"),
    ("--input must be a shape such as 224x224x3 (got '{0}')", "--input debe ser una forma como 224x224x3 (se recibió '{0}')"),
    ("--input must be a shape such as 28x28x1 or 784, sizes from 1 to {0} (got '{1}')",
     "--input debe ser una forma como 28x28x1 o 784, con tamaños de 1 a {0} (se recibió '{1}')"),
    ("{0}: the {1} base reads Keras weight files (.h5, .keras), not .pth: torchvision's resnet50 is ResNet v1.5 (the stride in the 3x3 convolutions, no convolution biases)",
     "{0}: la base {1} lee archivos de pesos de Keras (.h5, .keras), no .pth: el resnet50 de torchvision es ResNet v1.5 (el stride en las convoluciones 3x3, sin bias en las convoluciones)"),
    ("{0}: the {1} base reads Keras weight files (.h5, .keras), not .pth: convplay maps torchvision's layer names for VGG only",
     "{0}: la base {1} lee archivos de pesos de Keras (.h5, .keras), no .pth: convplay traduce los nombres de capa de torchvision solo para VGG"),
    ("{0}: the {1} base reads Keras weight files (.h5, .keras), not .pth: torchvision has no Xception",
     "{0}: la base {1} lee archivos de pesos de Keras (.h5, .keras), no .pth: torchvision no tiene Xception"),
    ("{0}: the {1} base reads Keras weight files (.h5, .keras), not .pth: torchvision has MobileNet v2 and v3, not the course's MobileNet (v1)",
     "{0}: la base {1} lee archivos de pesos de Keras (.h5, .keras), no .pth: torchvision tiene MobileNet v2 y v3, no el MobileNet del curso (v1)"),
    ("{0}: the {1} base reads Keras weight files (.h5, .keras), not .pth: its layers are not Keras's",
     "{0}: la base {1} lee archivos de pesos de Keras (.h5, .keras), no .pth: sus capas no son las de Keras"),
    ("{0}: the {1} base reads Keras weight files (.h5, .keras), not {2}",
     "{0}: la base {1} lee archivos de pesos de Keras (.h5, .keras), no {2}"),
    ("give either --weights FILE or --random-weights, not both", "indicar --weights ARCHIVO o --random-weights, no ambos"),
    ("give --digit or --image, not both", "indicar --digit o --image, no ambos"),
    ("--seed, --topic and --level belong to --screen quiz", "--seed, --topic y --level corresponden a --screen quiz"),
    ("--image belongs to --screen lab, summary or network", "--image corresponde a --screen lab, summary o network"),
    ("--input belongs to --screen summary", "--input corresponde a --screen summary"),
    ("--input belongs to --screen summary, or lab with --weights", "--input corresponde a --screen summary, o a lab con --weights"),
    ("--weights belongs to --screen summary or lab, or train with --base", "--weights corresponde a --screen summary o lab, o a train con --base"),
    // The image lab's Grad-CAM (engine and loader lines shown on the lab's last line)
    ("the network takes {0} inputs, not an image", "la red recibe entradas {0}, no una imagen"),
    ("{0} takes {1} inputs, not images", "{0} recibe entradas {1}, no imágenes"),
    ("{0} is not a classifier: its output is {1}, not one score per class",
     "{0} no es un clasificador: su salida es {1}, no un puntaje por clase"),
    ("the model has no convolutional layer to explain", "el modelo no tiene una capa convolucional que explicar"),
    ("--digit belongs to --screen network", "--digit corresponde a --screen network"),
    ("--padding, --stride and --dilation belong to --screen padding", "--padding, --stride y --dilation corresponden a --screen padding"),
    ("--dilation must be 1, 2 or 3 in the playground (got {0})", "--dilation debe ser 1, 2 o 3 en el entorno interactivo (se recibió {0})"),
    ("--size must be between 1 and 5 (got {0})", "--size debe estar entre 1 y 5 (se recibió {0})"),
    ("pooling takes --padding valid or same (as Keras)", "el pooling toma --padding valid o same (como Keras)"),
    ("the playground needs a terminal (stdin and stdout); without one try 'convplay step --plain' or 'convplay tui --print 80x24'",
     "el entorno interactivo necesita una terminal (stdin y stdout); sin ella, probar 'convplay step --plain' o 'convplay tui --print 80x24'"),
    ("--url must be an http or https URL (got {0})", "--url debe ser una URL http o https (se recibió {0})"),
    ("CONVPLAY_WEIGHTS_MIRROR must be an http or https URL (got {0})", "CONVPLAY_WEIGHTS_MIRROR debe ser una URL http o https (se recibió {0})"),
    ("--freeze-epochs and --finetune-epochs must be 0-50, and not both 0",
     "--freeze-epochs y --finetune-epochs deben estar entre 0 y 50, y no ambos en 0"),
    ("--base: {0}", "--base: {0}"), ("--model: {0}", "--model: {0}"),
    ("{0}: the file holds no tensors", "{0}: el archivo no contiene tensores"),
    ("{0}: {1} channels; the digits model needs a gray or RGB image", "{0}: {1} canales; el modelo de dígitos necesita una imagen en gris o RGB"),
    ("the model takes {0} inputs; predict prepares 28x28x1 digits", "el modelo toma entradas de {0}; predict prepara dígitos de 28x28x1"),
    ("--keys: unknown key '{0}' (use names such as Right, Left, Space, End, Enter, Escape, or one character)",
     "--keys: tecla desconocida '{0}' (usar nombres como Right, Left, Space, End, Enter, Escape, o un carácter)"),
    ("--screen rgb needs a 3-channel matrix (three blocks separated by a blank line); this one has {0}",
     "--screen rgb necesita una matriz de 3 canales (tres bloques separados por una línea en blanco); esta tiene {0}"),
    ("--screen rgb needs a 3-channel kernel (one block per channel); this one has {0}",
     "--screen rgb necesita un kernel de 3 canales (un bloque por canal); este tiene {0}"),
    ("unknown data set '{0}': choose {1}", "conjunto de datos desconocido '{0}': elegir {1}"),
    ("unknown network '{0}': choose {1}", "red desconocida '{0}': elegir {1}"),
    ("unknown model '{0}'; known models: {1}", "modelo desconocido '{0}'; modelos conocidos: {1}"),
    ("convplay: warning: skipped {0} unreadable image file(s); first: {1}",
     "convplay: aviso: se omitieron {0} archivos de imagen ilegibles; el primero: {1}"),
    // the engine's and the readers' messages most often met
    ("{0} does not match {1}'s published MD5 ({2}, expected {3}): a different or damaged file; fetch it again with `{4}`",
     "{0} no coincide con el MD5 publicado de {1} ({2}, se esperaba {3}): un archivo distinto o dañado; descargarlo de nuevo con `{4}`"),
    ("{0}: no numbers found", "{0}: no se encontraron números"),
    ("{0}: '{1}' is not a number", "{0}: '{1}' no es un número"),
    ("{0}: ragged rows: this row has {1} numbers, the first row of its block has {2}",
     "{0}: filas desparejas: esta fila tiene {1} números, la primera fila de su bloque tiene {2}"),
    ("{0}: channel {1} is {2} but channel 1 is {3}; every channel must have the same size",
     "{0}: el canal {1} mide {2} pero el canal 1 mide {3}; todos los canales deben tener el mismo tamaño"),
    ("{0} is too large to be kept exactly (whole numbers up to 9007199254740992)",
     "{0} es demasiado grande para guardarlo exacto (enteros hasta 9007199254740992)"),
    ("the kernel has {0} channels but the input has {1}: a filter needs one block per input channel (or a single block, applied to each channel on its own)",
     "el kernel tiene {0} canales pero la entrada tiene {1}: un filtro necesita un bloque por canal de entrada (o un solo bloque, aplicado a cada canal por separado)"),
  ]

  // MARK: - Quiz (exact-cells branch): every sentence of ConvCourse's QuizText, key = its raw value.
  // A QuizText case without its pair here fails TranslationsTests (Translations.missing).

  static let quizSentences: [(String, String)] = [
    ("correct", "correcto"),
    ("wrong: the answer is {0}", "incorrecto: la respuesta es {0}"),
    ("your answer: {0}", "respuesta dada: {0}"),
    ("(no answer)", "(sin respuesta)"),
    ("Question {0}/{1}", "Pregunta {0}/{1}"),
    ("could not read '{0}' as a shape such as {1} or (None, {2})",
     "no se pudo leer '{0}' como una forma, por ejemplo {1} o (None, {2})"),
    ("could not read '{0}' as a whole number such as 640 or 649,775",
     "no se pudo leer '{0}' como un número entero, por ejemplo 640 o 649,775"),
    ("you gave {0} size; the answer has {1}", "la respuesta dada tiene {0} tamaño; la correcta tiene {1}"),
    ("you gave {0} sizes; the answer has {1}", "la respuesta dada tiene {0} tamaños; la correcta tiene {1}"),
    ("rows and columns are right; check the channels", "filas y columnas bien; hay que revisar los canales"),
    ("(None is the batch size: not asked)", "(None es el tamaño del lote: no se pregunta)"),
    ("shapes", "formas"), ("params", "parámetros"), ("pooling", "pooling"), ("models", "modelos"),
    ("level {0}", "nivel {0}"),
    ("score: {0}/{1}", "aciertos: {0}/{1}"),
    ("progress saved in {0}", "progreso guardado en {0}"),
    ("the progress file could not be read: set it aside as {0} and started afresh",
     "el archivo de progreso no se pudo leer: se guardó aparte como {0} y el quiz empieza de cero"),
    ("{0} could not be read nor set aside ({1}): this session's progress is not kept",
     "{0} no se pudo leer ni guardar aparte ({1}): el progreso de esta sesión no se guarda"),
    ("input {0}", "entrada {0}"),
    ("An input of shape {0} goes through {1}. What is the output shape (rows x columns x channels)?",
     "Una entrada de forma {0} pasa por {1}. ¿Qué forma tiene la salida (filas x columnas x canales)?"),
    ("How many parameters does {0} have on an input of shape {1}?",
     "¿Cuántos parámetros tiene {0} sobre una entrada de forma {1}?"),
    ("In this model, how many values come out of Flatten?", "En este modelo, ¿cuántos valores salen de Flatten?"),
    ("How many parameters does {0} have when its input has shape {1}?",
     "¿Cuántos parámetros tiene {0} si su entrada tiene forma {1}?"),
    ("{0} follows a layer whose output is {1}. How many parameters does it have in total?",
     "{0} sigue a una capa con salida {1}. ¿Cuántos parámetros tiene en total?"),
    ("{0} follows a layer whose output is {1}. How many of its parameters are trainable (Trainable params)?",
     "{0} sigue a una capa con salida {1}. ¿Cuántos de sus parámetros son entrenables (Trainable params)?"),
    ("{0} follows a layer whose output is {1}. How many of its parameters are non-trainable (Non-trainable params)?",
     "{0} sigue a una capa con salida {1}. ¿Cuántos de sus parámetros no son entrenables (Non-trainable params)?"),
    ("What does 'Total params' say in the summary of this model?",
     "¿Qué número muestra 'Total params' en el resumen de este modelo?"),
    ("What does 'Total params' say in the summary of this model (the course's {0})?",
     "¿Qué número muestra 'Total params' en el resumen de este modelo ({0}, del curso)?"),
    ("In this model, what is the output shape of layer {0}, {1}?",
     "En este modelo, ¿qué forma de salida tiene la capa {0}, {1}?"),
    ("In this model (the course's {0}), what is the output shape of layer {1}, {2}?",
     "En este modelo ({0}, del curso), ¿qué forma de salida tiene la capa {1}, {2}?"),
    ("In this model, layer {0} is a Dense layer right after Flatten. If {1} is added after layer {2}, by how many parameters does that Dense layer shrink?",
     "En este modelo la capa {0} es una Dense justo después de Flatten. Si añadimos {1} después de la capa {2}, ¿en cuántos parámetros se reduce esa Dense?"),
    ("rows and columns: {0}", "filas y columnas: {0}"),
    ("rows: {0}", "filas: {0}"),
    ("columns: {0}", "columnas: {0}"),
    ("rows and columns", "filas y columnas"), ("rows", "filas"), ("columns", "columnas"),
    ("padding='same' ({0}): 1 zero in all, {1} before and {2} after, so the output is ceil({3}/{4}) = {5}",
     "padding='same' ({0}): 1 cero en total, {1} antes y {2} después, para que la salida sea ceil({3}/{4}) = {5}"),
    ("padding='same' ({0}): {1} zeros in all, {2} before and {3} after, so the output is ceil({4}/{5}) = {6}",
     "padding='same' ({0}): {1} ceros en total, {2} antes y {3} después, para que la salida sea ceil({4}/{5}) = {6}"),
    ("dilation_rate={0}: the {1} taps spread over {2}*({3}-1) + 1 = {4} positions",
     "dilation_rate={0}: los {1} pesos se reparten en {2}*({3}-1) + 1 = {4} posiciones"),
    ("({0}) ({1} - {2}) is not a multiple of the stride {3}: the window fits {4} times and the last {5} elements are never visited: Keras rounds down",
     "({0}) {1} - {2} no es múltiplo del stride {3}: Keras redondea hacia abajo, la ventana cabe {4} veces y los últimos {5} elementos no se visitan"),
    ("({0}) ({1} - {2}) is not a multiple of the stride {3}: the window fits {4} times and the last 1 element is never visited: Keras rounds down",
     "({0}) {1} - {2} no es múltiplo del stride {3}: Keras redondea hacia abajo, la ventana cabe {4} veces y el último elemento no se visita"),
    ("({0}) ({1} - {2}) is not a multiple of the stride {3}: the window fits 1 times and the last {4} elements are never visited: Keras rounds down",
     "({0}) {1} - {2} no es múltiplo del stride {3}: Keras redondea hacia abajo, la ventana cabe 1 vez y los últimos {4} elementos no se visitan"),
    ("({0}) ({1} - {2}) is not a multiple of the stride {3}: the window fits 1 times and the last 1 element is never visited: Keras rounds down",
     "({0}) {1} - {2} no es múltiplo del stride {3}: Keras redondea hacia abajo, la ventana cabe 1 vez y el último elemento no se visita"),
    ("output size = {0}, rounded down", "tamaño de salida = {0}, redondeado hacia abajo"),
    ("channels: one per filter = {0}", "canales: uno por filtro = {0}"),
    ("channels: pooling keeps them = {0}", "canales: el pooling no los cambia = {0}"),
    ("output shape: {0}", "forma de salida: {0}"),
    ("parameters = filters*rows*cols*input channels + filters (one bias per filter)",
     "parámetros = filtros*filas*columnas*canales de entrada + filtros (un bias por filtro)"),
    ("each of the {0} filters has {1}x{2}x{3} weights and one bias", "cada uno de los {0} filtros tiene {1}x{2}x{3} pesos y un bias"),
    ("each of the {0} filters has {1}x{2}x{3} weights; use_bias=False: no biases",
     "cada uno de los {0} filtros tiene {1}x{2}x{3} pesos; use_bias=False: sin bias"),
    ("the image size ({0}x{1}) does not count: the same weights slide over the whole image",
     "el tamaño de la imagen ({0}x{1}) no cuenta: los mismos pesos recorren toda la imagen"),
    ("parameters = inputs*units + units (one bias per unit)", "parámetros = entradas*unidades + unidades (un bias por unidad)"),
    ("Dense works on the last axis ({0} values): the same weights at each of the {1} positions; output {2}",
     "Dense trabaja sobre el último eje ({0} valores): los mismos pesos en cada una de las {1} posiciones; salida {2}"),
    ("use_bias=False: no biases", "use_bias=False: sin bias"),
    ("4 parameters per channel (gamma, beta, moving mean, moving variance): {0}",
     "4 parámetros por canal (gamma, beta, media móvil, varianza móvil): {0}"),
    ("the moving mean and variance are updated by averaging, not by training: always non-trainable",
     "la media y la varianza móviles se actualizan promediando, no entrenando: siempre no entrenables"),
    ("trainable=False freezes gamma and beta too", "trainable=False congela también gamma y beta"),
    ("trainable: {0}, non-trainable: {1}, total: {2}", "entrenables: {0}, no entrenables: {1}, total: {2}"),
    ("without pooling: Flatten gives {0}", "sin pooling: Flatten da {0}"),
    ("with {0}: {1} -> {2}", "con {0}: {1} -> {2}"),
    ("Flatten gives {0}", "Flatten da {0}"),
    ("shrink: {0} - {1} = {2}", "reducción: {0} - {1} = {2}"),
    ("input: {0}", "entrada: {0}"),
    ("units", "unidades"),
    ("one average per channel", "un promedio por canal"),
    // Blocks with branches (quiz-graph branch)
    ("blocks", "bloques"),
    ("In this block (Keras's functional API), what is the output shape of {0}, the {1} layer (rows x columns x channels)?",
     "En este bloque (API funcional de Keras), ¿qué forma de salida tiene {0}, la capa {1} (filas x columnas x canales)?"),
    ("How many parameters does this block (Keras's functional API) have in all, its 'Total params'?",
     "¿Cuántos parámetros tiene en total este bloque (API funcional de Keras), su 'Total params'?"),
    ("BatchNormalization and ReLU keep the shape", "BatchNormalization y ReLU no cambian la forma"),
    ("Add sums its inputs value by value, so they must have the same shape: {0} {1} and {2} {3}",
     "Add suma sus entradas valor por valor, así que deben tener la misma forma: {0} {1} y {2} {3}"),
    ("the shortcut is the input {0} itself: the branch must keep its shape (padding='same', stride 1, {1} filters for {1} input channels)",
     "el atajo es la misma entrada {0}: la rama debe conservar su forma (padding='same', stride 1, {1} filtros para {1} canales de entrada)"),
    ("the shortcut {0} is a 1x1 Conv2D with {1} filters and stride {2}: it turns {3} into {4}, the branch's shape",
     "el atajo {0} es una Conv2D 1x1 con {1} filtros y stride {2}: convierte {3} en {4}, la forma de la rama"),
    ("Concatenate puts the feature maps side by side: rows and columns must match ({0} on every branch) and the channels add up: {1}",
     "Concatenate pone los mapas de características uno al lado del otro: filas y columnas deben coincidir ({0} en todas las ramas) y los canales se suman: {1}"),
    ("{0} keeps the {1} channels of its input: pooling has no filters",
     "{0} conserva los {1} canales de su entrada: el pooling no tiene filtros"),
    ("'Total params' adds up the weights of every layer that has them:",
     "'Total params' suma los pesos de todas las capas que los tienen:"),
    ("no parameters: {0}", "sin parámetros: {0}"),
    ("of these, {0} are BatchNormalization's moving means and variances: non-trainable, but counted",
     "de estos, {0} son las medias y varianzas móviles de BatchNormalization: no entrenables, pero se cuentan"),
  ]
  // MARK: - The engine's error lines (ConvKit, ConvData, ConvImageIO, ConvPretrained, ConvUserData,
  // ConvCourse and the C readers), read back from the finished English line by Spanish.line.
  // scripts/list-engine-messages lists every such message; EngineMessagesSpanishTests fails on
  // one without its Spanish here. A message located as `path: ...` needs no entry of its own
  // for the path (Spanish.line keeps a place without spaces), an option with its path does.

  static let engineErrors: [(String, String)] = [
    // ConvCourse
    ("the model needs Flatten followed by Dense", "el modelo necesita Flatten seguido de Dense"),
    ("the block has no layer named '{0}'", "el bloque no tiene ninguna capa llamada '{0}'"),
    // ConvData: AtomicFile, CIFAR-10, data sources
    ("cannot create the folder {0}: {1}", "no se puede crear la carpeta {0}: {1}"),
    ("cannot write {0}", "no se puede escribir {0}"),
    ("cannot read {0}", "no se puede leer {0}"),
    ("cifar-10-binary.tar.gz: MD5 {0}, expected {1} (corrupt or different download)",
     "cifar-10-binary.tar.gz: MD5 {0}, se esperaba {1} (descarga dañada o distinta)"),
    ("cifar-10-binary.tar.gz has no {0}", "cifar-10-binary.tar.gz no contiene {0}"),
    ("{0}; download {1} elsewhere and copy the six .bin files of its {2} folder into {3} (or pass --data DIR)",
     "{0}; descargar {1} en otra computadora y copiar los seis archivos .bin de su carpeta {2} en {3} (o indicar --data CARPETA)"),
    ("could not download {0} after {1} attempts: {2}", "no se pudo descargar {0} tras {1} intentos: {2}"),
    ("{0}: {1} bytes is not a whole number of CIFAR-10 records ({2} bytes each: 1 label + 3072 pixels)",
     "{0}: {1} bytes no es un número entero de registros de CIFAR-10 ({2} bytes cada uno: 1 etiqueta + 3072 píxeles)"),
    ("{0}: record {1} has label {2}; CIFAR-10 labels are 0-9 (not a CIFAR-10 file?)",
     "{0}: el registro {1} tiene la etiqueta {2}; las etiquetas de CIFAR-10 van de 0 a 9 (¿no es un archivo de CIFAR-10?)"),
    ("CIFAR-10 in {0} is incomplete: missing {1} (download it again with `convplay data fetch cifar10`)",
     "CIFAR-10 en {0} está incompleto: falta {1} (descargarlo de nuevo con `convplay data fetch cifar10`)"),
    ("the CIFAR-10 data set was not found in {0}: download it with `convplay data fetch cifar10`, or pass --data DIR with data_batch_1.bin ... data_batch_5.bin and test_batch.bin",
     "no se encontró el conjunto de datos CIFAR-10 en {0}: descargarlo con `convplay data fetch cifar10`, o indicar --data CARPETA con data_batch_1.bin ... data_batch_5.bin y test_batch.bin"),
    ("{0} is a folder of your own: there is nothing to download",
     "{0} es una carpeta propia: no hay nada que descargar"),
    ("--image-size must be HxW with sides 1-4096, e.g. 128x128 (got {0})",
     "--image-size debe ser ALTOxANCHO con lados de 1 a 4096, por ejemplo 128x128 (se recibió {0})"),
    ("--color must be rgb or gray (got {0})", "--color debe ser rgb o gray (se recibió {0})"),
    ("--folder-split must be in [0, 1)", "--folder-split debe estar en [0, 1)"),
    ("--dataset folder:PATH needs a folder, e.g. folder:photos/fingers",
     "--dataset folder:RUTA necesita una carpeta, por ejemplo folder:photos/fingers"),
    ("the {0} data set was not found in {1}: {2}, or pass --data DIR with its four IDX files (train-images-idx3-ubyte[.gz] ...)",
     "no se encontró el conjunto de datos {0} en {1}: {2}, o indicar --data CARPETA con sus cuatro archivos IDX (train-images-idx3-ubyte[.gz] ...)"),
    ("the CIFAR-10 data set was not found {0}: download it with `convplay data fetch cifar10`, or pass --data DIR with data_batch_1.bin ... data_batch_5.bin and test_batch.bin",
     "no se encontró el conjunto de datos CIFAR-10 {0}: descargarlo con `convplay data fetch cifar10`, o indicar --data CARPETA con data_batch_1.bin ... data_batch_5.bin y test_batch.bin"),
    ("the {0} data set was not found {1}: {2}, or pass --data DIR with its four IDX files (train-images-idx3-ubyte[.gz] ...)",
     "no se encontró el conjunto de datos {0} {1}: {2}, o indicar --data CARPETA con sus cuatro archivos IDX (train-images-idx3-ubyte[.gz] ...)"),
    ("$CONVPLAY_DATA, {0} or {1}", "$CONVPLAY_DATA, {0} o {1}"),
    ("$CONVPLAY_DATA or {0}", "$CONVPLAY_DATA o {0}"),
    ("download it with `convplay data fetch {0}` (or `apt-get install dataset-fashion-mnist`)",
     "descargarlo con `convplay data fetch {0}` (o `apt-get install dataset-fashion-mnist`)"),
    ("download it with `convplay data fetch {0}`", "descargarlo con `convplay data fetch {0}`"),
    ("the built-in model is damaged (not base64); rebuild with scripts/make_default_model.sh",
     "el modelo que trae convplay está dañado (no es base64); reconstruirlo con scripts/make_default_model.sh"),
    ("HTTP status {0}", "estado HTTP {0}"),
    ("transfer cut after {0} of {1} bytes", "transferencia cortada tras {0} de {1} bytes"),
    ("no network: cannot reach {0} ({1})", "sin red: no se puede llegar a {0} ({1})"),
    ("{0}; download the four .gz files from {1} elsewhere and copy them into {2} (or pass --data DIR)",
     "{0}; descargar los cuatro archivos .gz de {1} en otra computadora y copiarlos en {2} (o indicar --data CARPETA)"),
    ("checksum mismatch: {0}", "la suma de control no coincide: {0}"),
    ("empty gzip file", "archivo gzip vacío"),
    ("zlib could not start (code {0})", "zlib no pudo arrancar (código {0})"),
    ("the gzip data is truncated", "los datos gzip están cortados"),
    ("corrupt gzip data ({0})", "datos gzip dañados ({0})"),
    ("code {0}", "código {0}"),
    ("the gzip data inflates past {0} bytes", "los datos gzip se descomprimen a más de {0} bytes"),
    ("the inflated gzip data", "los datos gzip descomprimidos"),
    // IDX
    ("{0}: an images file needs 3 dimensions (count, rows, cols), got {1}",
     "{0}: un archivo de imágenes necesita 3 dimensiones (cantidad, filas, columnas), tiene {1}"),
    ("{0}: a labels file needs 1 dimension, got {1}", "{0}: un archivo de etiquetas necesita 1 dimensión, tiene {1}"),
    ("{0}: {1} images but {2} labels", "{0}: {1} imágenes pero {2} etiquetas"),
    ("{0}: the gzip data inflates past the {1} bytes its IDX header declares",
     "{0}: los datos gzip se descomprimen a más de los {1} bytes que declara su encabezado IDX"),
    ("{0}: too short to be an IDX file ({1} bytes)", "{0}: demasiado corto para ser un archivo IDX ({1} bytes)"),
    ("{0}: not an IDX file (bad magic number {1})", "{0}: no es un archivo IDX (número mágico incorrecto {1})"),
    ("{0}: IDX value type 0x{1} is not supported (only unsigned bytes, 0x08)",
     "{0}: el tipo de valor IDX 0x{1} no es compatible (solo bytes sin signo, 0x08)"),
    ("{0}: IDX file with {1} dimensions", "{0}: archivo IDX con {1} dimensiones"),
    ("{0}: truncated IDX header", "{0}: encabezado IDX cortado"),
    ("{0}: the header promises {1} = {2} values but the file has {3}",
     "{0}: el encabezado promete {1} = {2} valores pero el archivo tiene {3}"),
    ("{0}: the header's sizes", "{0}: los tamaños del encabezado"),
    ("the header's sizes: {0}", "los tamaños del encabezado: {0}"),
    ("{0}'s images", "las imágenes de {0}"),
    ("IDX file", "archivo IDX"),
    // model files
    ("{0}: no convplay model description in the file's metadata ({1})",
     "{0}: no hay una descripción de modelo de convplay en los metadatos del archivo ({1})"),
    ("{0}: the model in the file cannot be built: {1}", "{0}: el modelo del archivo no se puede construir: {1}"),
    ("{0}: tensor {1} is missing", "{0}: falta el tensor {1}"),
    ("{0}: tensor {1} has shape {2}, the model needs {3}",
     "{0}: el tensor {1} tiene forma {2}, el modelo necesita {3}"),
    ("{0}: tensor {1} does not belong to the model described in the file",
     "{0}: el tensor {1} no pertenece al modelo descrito en el archivo"),
    ("the model description in the weights file is invalid: {0}",
     "la descripción del modelo en el archivo de pesos no es válida: {0}"),
    ("not the expected JSON", "no es el JSON esperado"),
    ("class_name missing", "falta class_name"),
    ("a node without name or config", "un nodo sin name ni config"),
    ("a layer is not an object", "una capa no es un objeto"),
    ("{0}: not a model spec (a text file of layers such as \"flatten -> dense(10, softmax)\")",
     "{0}: no es una especificación de modelo (un archivo de texto con capas como \"flatten -> dense(10, softmax)\")"),
    ("the model ends in Dense({0}) but the data set has {1} classes: write dense({2}, softmax) last",
     "el modelo termina en Dense({0}) pero el conjunto de datos tiene {1} clases: escribir dense({2}, softmax) al final"),
    ("unknown model '{0}': choose one of {1}, or write a spec such as \"flatten -> dense(10, softmax)\"",
     "modelo desconocido '{0}': elegir uno de {1}, o escribir una especificación como \"flatten -> dense(10, softmax)\""),
    ("model spec: {0}", "especificación del modelo: {0}"),
    // safetensors
    ("{0}: the file is truncated inside tensor {1}", "{0}: el archivo está cortado dentro del tensor {1}"),
    ("{0}: read error: {1}", "{0}: error de lectura: {1}"),
    ("is a pipe: a weights or model file must be a regular file",
     "es una tubería: un archivo de pesos o de modelo debe ser un archivo común"),
    ("too short to be a safetensors file ({0} bytes)", "demasiado corto para ser un archivo safetensors ({0} bytes)"),
    ("the header claims {0} bytes, over the format's 100 MB limit",
     "el encabezado declara {0} bytes, más que el límite de 100 MB del formato"),
    ("truncated or not a safetensors file: the header claims {0} bytes, the file has {1} after the length",
     "cortado o no es un archivo safetensors: el encabezado declara {0} bytes, el archivo tiene {1} después de la longitud"),
    ("the safetensors header is not valid JSON", "el encabezado safetensors no es JSON válido"),
    ("the safetensors header is not a JSON object", "el encabezado safetensors no es un objeto JSON"),
    ("__metadata__ is not an object", "__metadata__ no es un objeto"),
    ("metadata {0} is not a string", "el metadato {0} no es una cadena de texto"),
    ("tensor {0}: missing or malformed dtype, shape or data_offsets",
     "tensor {0}: 'dtype', 'shape' o 'data_offsets' ausentes o mal formados"),
    ("tensor {0}: dtype {1} is not supported (convplay reads F32, F64, I64 and I32)",
     "tensor {0}: el dtype {1} no es compatible (convplay lee F32, F64, I64 e I32)"),
    ("tensor {0}: negative shape or offsets", "tensor {0}: forma o desplazamientos negativos"),
    ("tensor {0}: shape {1} is larger than the file", "tensor {0}: la forma {1} es más grande que el archivo"),
    ("tensor {0}: shape {1} needs {2} bytes but its data range has {3}",
     "tensor {0}: la forma {1} necesita {2} bytes pero su rango de datos tiene {3}"),
    ("the file is truncated: tensor {0} needs bytes up to {1} but only {2} are present",
     "el archivo está cortado: el tensor {0} necesita bytes hasta {1} pero solo hay {2}"),
    ("{0}: tensor {1}: dtype {2} is not supported (convplay uses F32)",
     "{0}: tensor {1}: el dtype {2} no es compatible (convplay usa F32)"),
    // tar
    ("{0}: bad size field in the header at byte {1} (not a tar file?)",
     "{0}: campo de tamaño incorrecto en el encabezado en el byte {1} (¿no es un archivo tar?)"),
    ("{0}: header checksum mismatch at byte {1} (corrupt archive)",
     "{0}: la suma de control del encabezado no coincide en el byte {1} (archivo dañado)"),
    ("{0}: {1} is cut short (archive truncated)", "{0}: {1} está incompleto (archivo cortado)"),
    ("{0}: the archive ends without its end-of-archive blocks (truncated)",
     "{0}: el archivo termina sin sus bloques de fin de archivo (cortado)"),
    // weights fetch
    ("{0}: {1} (the part received is kept; run the command again to resume)",
     "{0}: {1} (se conserva la parte recibida; ejecutar el comando de nuevo para continuar)"),
    ("{0}: HTTP status {1}", "{0}: estado HTTP {1}"),
    ("{0}: transfer cut after {1} of {2} bytes; run the command again to resume",
     "{0}: transferencia cortada tras {1} de {2} bytes; ejecutar el comando de nuevo para continuar"),
    ("{0}: the cached copy fails its hash ({1}); fetching it again",
     "{0}: la copia guardada no coincide con su hash ({1}); se descarga de nuevo"),
    ("{0}: already in {1}, hash OK", "{0}: ya está en {1}, hash correcto"),
    ("{0}: already in {1}", "{0}: ya está en {1}"),
    ("cannot create {0}: {1}", "no se puede crear {0}: {1}"),
    ("{0}; download {1} elsewhere and copy it to {2} (or set CONVPLAY_WEIGHTS_MIRROR to a server that has it)",
     "{0}; descargar {1} en otra computadora y copiarlo en {2} (o poner en CONVPLAY_WEIGHTS_MIRROR un servidor que lo tenga)"),
    ("{0} from {1} fails its hash ({2}): refused, nothing kept",
     "{0} de {1} no coincide con su hash ({2}): rechazado, no se guarda nada"),
    ("cannot move the download into {0}: {1}", "no se puede mover la descarga a {0}: {1}"),
    // notices of the fetchers (printed on stderr, not errors)
    ("CIFAR-10 already in {0}", "CIFAR-10 ya está en {0}"),
    ("cifar-10-binary.tar.gz: {0}; retrying ({1}/{2})", "cifar-10-binary.tar.gz: {0}; reintentando ({1}/{2})"),
    ("{0}.gz: already downloaded, checksum OK", "{0}.gz: ya descargado, suma de control correcta"),
    ("{0}.gz: {1}; retrying ({2}/{3})", "{0}.gz: {1}; reintentando ({2}/{3})"),
    ("{0}: Keras publishes no hash for this file, so none was checked",
     "{0}: Keras no publica un hash para este archivo, así que no se comprobó ninguno"),
    // ConvImageIO
    ("{0} (got '{1}')", "{0} (se recibió '{1}')"),
    ("--augment takes a list such as flip,rotate=10,shift=0.1,zoom=0.1",
     "--augment toma una lista como flip,rotate=10,shift=0.1,zoom=0.1"),
    ("--augment rotate=D takes degrees in 0-180 (got {0})",
     "--augment rotate=D toma grados entre 0 y 180 (se recibió {0})"),
    ("--augment shift=F takes a fraction in 0-1 (got {0})",
     "--augment shift=F toma una fracción entre 0 y 1 (se recibió {0})"),
    ("--augment zoom=F takes a fraction in 0-1 (got {0})",
     "--augment zoom=F toma una fracción entre 0 y 1 (se recibió {0})"),
    ("{0}: unknown transform '{1}' (known: flip, rotate, shift, zoom)",
     "{0}: transformación desconocida '{1}' (conocidas: flip, rotate, shift, zoom)"),
    ("cannot encode a {0}x{1} image", "no se puede codificar una imagen de {0}x{1}"),
    ("decoder returned no pixels", "el decodificador no devolvió píxeles"),
    ("cannot read image: {0}", "no se puede leer la imagen: {0}"),
    ("image is {0}x{1} = {2} pixels, over the limit of {3} (raise it with --max-pixels)",
     "la imagen tiene {0}x{1} = {2} píxeles, más que el límite de {3} (subirlo con --max-pixels)"),
    ("image is {0}x{1} = {2} pixels, over the limit of {3}",
     "la imagen tiene {0}x{1} = {2} píxeles, más que el límite de {3}"),
    ("unsupported image: {0}", "imagen no compatible: {0}"),
    ("output name must end in .png, .jpg, .jpeg or .npy",
     "el nombre de salida debe terminar en .png, .jpg, .jpeg o .npy"),
    ("PNG and JPEG hold 1 or 3 channels, not {0}", "PNG y JPEG guardan 1 o 3 canales, no {0}"),
    ("{0}: no class subfolders (expected PATH/CLASS/IMAGE.png ..., or --label-pattern to read classes from file names)",
     "{0}: no hay subcarpetas de clases (se esperaba RUTA/CLASE/IMAGEN.png ..., o --label-pattern para leer las clases de los nombres de archivo)"),
    ("{0}: no .png or .jpg files", "{0}: no hay archivos .png ni .jpg"),
    ("{0} of {1} files in {2} do not match --label-pattern {3} (e.g. {4})",
     "{0} de {1} archivos en {2} no coinciden con --label-pattern {3} (por ejemplo {4})"),
    ("{0}: class {1} is not among {2}", "{0}: la clase {1} no está entre {2}"),
    ("{0}: class {1} is not in the training folder", "{0}: la clase {1} no está en la carpeta de entrenamiento"),
    ("{0}: no .png or .jpg files in its class subfolders",
     "{0}: no hay archivos .png ni .jpg en sus subcarpetas de clases"),
    ("{0}: none of its {1} image files could be read (first: {2})",
     "{0}: no se pudo leer ninguno de sus {1} archivos de imagen (el primero: {2})"),
    ("--label-pattern {0} is not a regular expression", "--label-pattern {0} no es una expresión regular"),
    ("--label-pattern {0} has no capture group: put the class in parentheses, e.g. _([0-5])[LR]\\.png$",
     "--label-pattern {0} no tiene grupo de captura: poner la clase entre paréntesis, por ejemplo _([0-5])[LR]\\.png$"),
    ("{0}: no such folder (folder:PATH needs a folder with one subfolder per class, or train/ and test/)",
     "{0}: no existe la carpeta (folder:RUTA necesita una carpeta con una subcarpeta por clase, o train/ y test/)"),
    ("{0}: cannot list the folder", "{0}: no se puede listar la carpeta"),
    ("is a named pipe (FIFO), not a regular file (to read a program's output, use '-' or <(program))",
     "es una tubería con nombre (FIFO), no un archivo común (para leer la salida de un programa, usar '-' o <(programa))"),
    ("is a device, not a regular file", "es un dispositivo, no un archivo común"),
    ("is a socket, not a regular file", "es un socket, no un archivo común"),
    ("is not a regular file", "no es un archivo común"),
    ("cannot read: {0}", "no se puede leer: {0}"),
    ("is a directory, not a file", "es una carpeta, no un archivo"),
    ("no such file", "no existe el archivo"),
    ("cannot open: {0}", "no se puede abrir: {0}"),
    ("more than {0} bytes: too big", "más de {0} bytes: demasiado grande"),
    ("{0}: more than {1} bytes: too big", "{0}: más de {1} bytes: demasiado grande"),
    ("the array holds NaN or infinite values", "el arreglo contiene valores NaN o infinitos"),
    ("not a NumPy .npy file", "no es un archivo .npy de NumPy"),
    ("truncated .npy header", "encabezado .npy cortado"),
    (".npy format version {0} (convplay reads 1, 2 and 3)", "versión {0} del formato .npy (convplay lee 1, 2 y 3)"),
    ("the .npy header lacks descr, fortran_order or shape",
     "al encabezado .npy le falta 'descr', 'fortran_order' o 'shape'"),
    ("Fortran-ordered .npy array: save it with numpy.ascontiguousarray first",
     "arreglo .npy en orden de Fortran: guardarlo antes con numpy.ascontiguousarray"),
    ("cannot read the .npy shape {0}", "no se puede leer la forma .npy {0}"),
    ("a .npy image must have shape (height, width) or (height, width, 3); this one is {0}",
     "una imagen .npy debe tener forma (alto, ancho) o (alto, ancho, 3); esta es {0}"),
    ("empty array of shape {0}", "arreglo vacío de forma {0}"),
    ("the .npy data type {0}: convplay reads uint8, float32 and float64 (little-endian)",
     "el tipo de datos .npy {0}: convplay lee uint8, float32 y float64 (little-endian)"),
    ("truncated .npy data: shape {0} needs {1} bytes, the file has {2}",
     "datos .npy cortados: la forma {0} necesita {1} bytes, el archivo tiene {2}"),
    ("the output path is empty", "la ruta de salida está vacía"),
    ("{0}: the output path is empty", "{0}: la ruta de salida está vacía"),
    ("names a folder, not a file", "nombra una carpeta, no un archivo"),
    ("exists and is not a regular file", "existe y no es un archivo común"),
    ("{0} is not a directory", "{0} no es una carpeta"),
    ("{0}: {1} is not a directory", "{0}: {1} no es una carpeta"),
    ("cannot reach {0}: {1}", "no se puede llegar a {0}: {1}"),
    ("{0}: cannot reach {1}: {2}", "{0}: no se puede llegar a {1}: {2}"),
    ("the folder {0} does not exist", "la carpeta {0} no existe"),
    ("cannot write in {0}: {1}", "no se puede escribir en {0}: {1}"),
    ("cannot create a file in '{0}': {1}", "no se puede crear un archivo en '{0}': {1}"),
    ("cannot write: {0}", "no se puede escribir: {0}"),
    ("Not a directory", "No es una carpeta"),
    ("No space left on device", "No queda espacio en el dispositivo"),
    ("Read-only file system", "Sistema de archivos de solo lectura"),
    ("Too many levels of symbolic links", "Demasiados niveles de enlaces simbólicos"),
    ("File name too long", "Nombre de archivo demasiado largo"),
    // CImageCodecs (C) and libpng/libjpeg reasons most often met
    ("CMYK JPEG is not supported (print colours): convert it to RGB first",
     "los JPEG en CMYK no son compatibles (colores de imprenta): convertirlos antes a RGB"),
    ("JPEG encoder: {0}", "codificador JPEG: {0}"),
    ("PNG encoder: {0}", "codificador PNG: {0}"),
    ("JPEG output takes 1 (gray) or 3 (RGB) channels, not {0}",
     "la salida JPEG toma 1 (gris) o 3 (RGB) canales, no {0}"),
    ("PNG output takes 1 (gray) or 3 (RGB) channels, not {0}",
     "la salida PNG toma 1 (gris) o 3 (RGB) canales, no {0}"),
    ("corrupt JPEG: bytes out of place in the image data ({0}): the decoder fell out of step, so any part of the picture may be wrong",
     "JPEG dañado: bytes fuera de lugar en los datos de la imagen ({0}): el decodificador perdió el paso, así que cualquier parte de la imagen puede estar mal"),
    ("corrupt JPEG: bytes out of place in the image data ({0}): {1} of its {2} restart intervals (about {3}% of the picture) may be decoded wrong",
     "JPEG dañado: bytes fuera de lugar en los datos de la imagen ({0}): {1} de sus {2} intervalos de reinicio (cerca del {3}% de la imagen) pueden estar mal decodificados"),
    ("corrupt JPEG: {0}", "JPEG dañado: {0}"),
    ("corrupt PNG: {0}", "PNG dañado: {0}"),
    ("a {0}x{1} image cannot come from {2} bytes (the file is truncated or damaged)",
     "una imagen de {0}x{1} no puede salir de {2} bytes (el archivo está truncado o dañado)"),
    ("empty file", "archivo vacío"),
    ("not a PNG or JPEG file (unrecognised first bytes)",
     "no es un archivo PNG ni JPEG (primeros bytes desconocidos)"),
    ("not enough memory for a {0}x{1} image", "no hay memoria suficiente para una imagen de {0}x{1}"),
    ("not enough memory to encode JPEG", "no hay memoria suficiente para codificar el JPEG"),
    ("not enough memory to encode PNG", "no hay memoria suficiente para codificar el PNG"),
    ("not enough memory to read the PNG", "no hay memoria suficiente para leer el PNG"),
    ("out of memory", "sin memoria"),
    ("{0}: CRC error", "{0}: error de CRC"),
    ("read beyond end of data", "lectura más allá del final de los datos"),
    ("Premature end of JPEG file", "el archivo JPEG termina antes de tiempo"),
    ("Not a JPEG file: starts with {0} {1}", "No es un archivo JPEG: empieza con {0} {1}"),
    ("Bogus marker length", "longitud de marcador incorrecta"),
    ("Invalid JPEG file structure: two SOI markers", "estructura de archivo JPEG no válida: dos marcadores SOI"),
    ("Invalid JPEG file structure: SOS before SOF", "estructura de archivo JPEG no válida: SOS antes de SOF"),
    ("Invalid JPEG file structure: missing SOS marker",
     "estructura de archivo JPEG no válida: falta el marcador SOS"),
    ("Unsupported marker type {0}", "tipo de marcador no compatible {0}"),
    ("Huffman table {0} was not defined", "la tabla de Huffman {0} no estaba definida"),
    ("Corrupt JPEG data: {0} extraneous bytes before marker {1}",
     "datos JPEG dañados: {0} bytes de más antes del marcador {1}"),
    ("Corrupt JPEG data: premature end of data segment",
     "datos JPEG dañados: el segmento de datos termina antes de tiempo"),
    ("Corrupt JPEG data: bad Huffman code", "datos JPEG dañados: código de Huffman incorrecto"),
    ("not a PNG file", "no es un archivo PNG"),
    ("{0}: invalid chunk type", "{0}: tipo de bloque no válido"),
    ("{0}: bad header (invalid width)", "{0}: encabezado incorrecto (ancho no válido)"),
    ("{0}: bad header (invalid height)", "{0}: encabezado incorrecto (alto no válido)"),
    ("{0}: invalid chunk length (too large)", "{0}: longitud de bloque no válida (demasiado grande)"),
    ("Not enough image data", "no hay suficientes datos de imagen"),
    ("incorrect header check", "comprobación de encabezado incorrecta"),
    ("invalid distance too far back", "distancia no válida demasiado atrás"),
    ("invalid stored block lengths", "longitudes de bloque almacenado no válidas"),
    // ConvKit: sizes and memory
    ("{0}: must be at least {1} (got {2})", "{0}: debe ser al menos {1} (se recibió {2})"),
    ("{0}: {1} is larger than {2}, the largest size convplay takes",
     "{0}: {1} es mayor que {2}, el tamaño más grande que acepta convplay"),
    ("{0}: a dimension of {1} is negative", "{0}: una dimensión de {1} es negativa"),
    ("{0}: {1} values do not fit in a 64-bit integer", "{0}: {1} valores no caben en un entero de 64 bits"),
    ("{0}: {1} is outside {2}...{3}", "{0}: {1} está fuera de {2}...{3}"),
    ("{0}: {1} does not fit in a 64-bit integer: the number is too large",
     "{0}: {1} no cabe en un entero de 64 bits: el número es demasiado grande"),
    ("'{0}' is not a size: write bytes or a number with K, M, G or T, for example 8G",
     "'{0}' no es un tamaño: escribir bytes o un número con K, M, G o T, por ejemplo 8G"),
    ("{0} would take {1} bytes ({2}), over the memory budget of {3}; raise it with {4} (for example {5}=32G)",
     "{0} ocuparía {1} bytes ({2}), más que el límite de memoria de {3}; subirlo con {4} (por ejemplo {5}=32G)"),
    ("{0} would hold {1} values ({2}), over the memory budget of {3}; raise it with {4} (for example {5}=32G)",
     "{0} tendría {1} valores ({2}), más que el límite de memoria de {3}; subirlo con {4} (por ejemplo {5}=32G)"),
    ("{0} would hold more values than fit in a 64-bit integer",
     "{0} tendría más valores de los que caben en un entero de 64 bits"),
    ("more than 9 EB", "más de 9 EB"),
    ("the model", "el modelo"),
    ("the model in training", "el modelo en entrenamiento"),
    ("the model with a batch of {0}", "el modelo con un lote de {0}"),
    ("the model with a batch of {0} in training", "el modelo con un lote de {0} en entrenamiento"),
    ("the padded input", "la entrada con padding"),
    ("the output", "la salida"),
    ("the output shape {0}", "la forma de salida {0}"),
    ("the input shape {0}", "la forma de entrada {0}"),
    ("the weight {0} {1}", "el peso {0} {1}"),
    ("the parameter count", "la cantidad de parámetros"),
    ("the model's parameter count", "la cantidad de parámetros del modelo"),
    ("input rows", "filas de la entrada"),
    ("input columns", "columnas de la entrada"),
    ("input size", "tamaño de la entrada"),
    ("kernel rows", "filas del kernel"),
    ("kernel columns", "columnas del kernel"),
    ("kernel size", "tamaño del kernel"),
    ("output rows", "filas de la salida"),
    ("output columns", "columnas de la salida"),
    ("output size", "tamaño de la salida"),
    // geometry
    ("stride must be at least 1 (got {0})", "el stride debe ser al menos 1 (se recibió {0})"),
    ("dilation must be at least 1 (got {0})", "la dilatación debe ser al menos 1 (se recibió {0})"),
    ("padding must be at least 1 (got {0})", "el padding debe ser al menos 1 (se recibió {0})"),
    ("output_padding + 1 must be at least 1 (got {0})", "output_padding + 1 debe ser al menos 1 (se recibió {0})"),
    ("the kernel spans {0} rows but the padded input has only {1}: use a smaller kernel or more padding",
     "el kernel abarca {0} filas pero la entrada con padding tiene solo {1}: usar un kernel más chico o más padding"),
    ("the kernel spans {0} columns but the padded input has only {1}: use a smaller kernel or more padding",
     "el kernel abarca {0} columnas pero la entrada con padding tiene solo {1}: usar un kernel más chico o más padding"),
    ("the kernel spans {0} {1} but the padded input has only {2}: use a smaller kernel or more padding",
     "el kernel abarca {0} ({1}) pero la entrada con padding tiene solo {2}: usar un kernel más chico o más padding"),
    ("output_padding ({0}) must be smaller than the stride ({1})",
     "output_padding ({0}) debe ser menor que el stride ({1})"),
    ("Conv2DTranspose takes padding 'valid' or 'same', not '{0}'",
     "Conv2DTranspose toma padding 'valid' o 'same', no '{0}'"),
    ("the gradient must be {0} like the output (got {1})",
     "el gradiente debe ser {0} como la salida (se recibió {1})"),
    ("the target must be {0} like the output (got {1})", "el objetivo debe ser {0} como la salida (se recibió {1})"),
    ("the {0} must be {1} like the output (got {2})", "{0} debe ser {1} como la salida (se recibió {2})"),
    ("padding {0} crops 2*{1} = {2} cells from an output of {3}: nothing would be left",
     "el padding {0} recorta 2*{1} = {2} celdas de una salida de {3}: no quedaría nada"),
    // layers
    ("activation needs a function: relu, tanh, sigmoid, softmax or linear",
     "activation necesita una función: relu, tanh, sigmoid, softmax o linear"),
    ("adds two or more inputs, got {0}", "suma dos o más entradas, recibió {0}"),
    ("inputs of different shapes cannot be added: {0}", "no se pueden sumar entradas de formas distintas: {0}"),
    ("epsilon must be above 0", "epsilon debe ser mayor que 0"),
    ("momentum must be between 0 and 1", "momentum debe estar entre 0 y 1"),
    ("BatchNormalization over axis {0} is not supported (only the channels, axis -1)",
     "BatchNormalization sobre el eje {0} no es compatible (solo los canales, eje -1)"),
    ("only the channel axis (-1) can be concatenated here (got {0})",
     "aquí solo se puede concatenar el eje de canales (-1) (se recibió {0})"),
    ("Concatenate on axis {0} is not supported (only the channels, axis -1)",
     "Concatenate sobre el eje {0} no es compatible (solo los canales, eje -1)"),
    ("inputs must match in all but the channel axis: {0}",
     "las entradas deben coincidir en todo salvo el eje de canales: {0}"),
    ("conv2d needs filters, for example conv2d(32, 3)", "conv2d necesita filters, por ejemplo conv2d(32, 3)"),
    ("conv2d needs kernel_size, for example conv2d({0}, 3) or kernel_size=(3, 3)",
     "conv2d necesita kernel_size, por ejemplo conv2d({0}, 3) o kernel_size=(3, 3)"),
    ("Keras does not allow strides > 1 together with dilation_rate > 1",
     "Keras no permite strides > 1 junto con dilation_rate > 1"),
    ("Conv2D with groups={0} is not supported (only groups=1)",
     "Conv2D con groups={0} no es compatible (solo groups=1)"),
    ("conv2dtranspose needs filters, for example conv2dtranspose(16, 3, 2)",
     "conv2dtranspose necesita filters, por ejemplo conv2dtranspose(16, 3, 2)"),
    ("conv2dtranspose needs kernel_size, for example conv2dtranspose({0}, 3)",
     "conv2dtranspose necesita kernel_size, por ejemplo conv2dtranspose({0}, 3)"),
    ("Conv2DTranspose's output_padding is not supported", "el output_padding de Conv2DTranspose no es compatible"),
    ("Conv2DTranspose with dilation_rate is not supported", "Conv2DTranspose con dilation_rate no es compatible"),
    ("Conv2DTranspose's padding must be valid or same", "el padding de Conv2DTranspose debe ser valid o same"),
    ("dense needs units, for example dense(10, softmax)", "dense necesita units, por ejemplo dense(10, softmax)"),
    ("depthwiseconv2d needs kernel_size, for example depthwiseconv2d(3)",
     "depthwiseconv2d necesita kernel_size, por ejemplo depthwiseconv2d(3)"),
    ("depth_multiplier must be at least 1", "depth_multiplier debe ser al menos 1"),
    ("dropout needs a rate, for example dropout(0.5)", "dropout necesita rate, por ejemplo dropout(0.5)"),
    ("rate must be at least 0 and below 1 (got {0})", "rate debe ser al menos 0 y menor que 1 (se recibió {0})"),
    ("Dropout rate must be in [0, 1), got {0}", "el rate de Dropout debe estar en [0, 1), se recibió {0}"),
    ("the input shape must be fixed, got {0} axes with some unknown",
     "la forma de entrada debe ser fija, se recibieron {0} ejes con alguno desconocido"),
    ("unknown activation {0}", "activación desconocida {0}"),
    ("option {0} is missing or invalid", "la opción {0} falta o no es válida"),
    ("{0} needs an image input (height, width, channels), got {1}",
     "{0} necesita una entrada de imagen (alto, ancho, canales), se recibió {1}"),
    ("unknown layer class {0}; convplay knows {1}", "clase de capa desconocida {0}; convplay conoce {1}"),
    ("unknown layer class {0} (did you mean {1}?); convplay knows {2}",
     "clase de capa desconocida {0} (¿se quiso escribir {1}?); convplay conoce {2}"),
    ("{0} with data_format='{1}' is not supported (convplay runs channels_last)",
     "{0} con data_format='{1}' no es compatible (convplay trabaja con channels_last)"),
    ("max_value must be above 0", "max_value debe ser mayor que 0"),
    ("reshape needs a shape, for example reshape((1, 1, 1024))",
     "reshape necesita una forma, por ejemplo reshape((1, 1, 1024))"),
    ("cannot reshape {0} to {1}: the sizes differ", "no se puede cambiar la forma {0} a {1}: los tamaños difieren"),
    ("separableconv2d needs filters, for example separableconv2d(64, 3)",
     "separableconv2d necesita filters, por ejemplo separableconv2d(64, 3)"),
    ("separableconv2d needs kernel_size, for example separableconv2d({0}, 3)",
     "separableconv2d necesita kernel_size, por ejemplo separableconv2d({0}, 3)"),
    ("padding must be whole numbers from 0 to {0} (got '{1}')",
     "el padding debe ser enteros de 0 a {0} (se recibió '{1}')"),
    ("padding must be N, (rows, cols) or ((top, bottom), (left, right)) (got '{0}')",
     "el padding debe ser N, (filas, columnas) o ((arriba, abajo), (izquierda, derecha)) (se recibió '{0}')"),
    ("padding cannot be negative", "el padding no puede ser negativo"),
    // graphs and specs
    ("the name '{0}' is used twice: names must be unique",
     "el nombre '{0}' se usa dos veces: los nombres deben ser únicos"),
    ("{0}: input '{1}' is not defined before it", "{0}: la entrada '{1}' no está definida antes"),
    ("an input layer reads nothing", "una capa de entrada no lee nada"),
    ("joins two or more inputs, got {0}", "une dos o más entradas, recibió {0}"),
    ("takes one input, got {0}", "toma una entrada, recibió {0}"),
    ("{0}: {1} joins two or more inputs, got {2}", "{0}: {1} une dos o más entradas, recibió {2}"),
    ("layer {0}: {1}", "capa {0}: {1}"),
    ("layer {0}, column {1}: {2}", "capa {0}, columna {1}: {2}"),
    ("layer {0}, line {1}, column {2}: {3}", "capa {0}, línea {1}, columna {2}: {3}"),
    ("line {0}, column {1}: {2}", "línea {0}, columna {1}: {2}"),
    ("column {0}: {1}", "columna {0}: {1}"),
    ("unmatched '{0}'", "'{0}' sin pareja"),
    ("nothing before '->': expected a layer such as dense(10)",
     "nada antes de '->': se esperaba una capa como dense(10)"),
    ("'{0}' is never closed", "'{0}' nunca se cierra"),
    ("nothing after '->': expected a layer", "nada después de '->': se esperaba una capa"),
    ("the model is empty: write layers such as conv2d(64, 3, relu) -> flatten -> dense(10, softmax)",
     "el modelo está vacío: escribir capas como conv2d(64, 3, relu) -> flatten -> dense(10, softmax)"),
    ("input(...) must come first, before any layer", "input(...) debe ir primero, antes de cualquier capa"),
    ("the layer is named twice: '{0}' and name='{1}'", "la capa tiene dos nombres: '{0}' y name='{1}'"),
    ("input_shape= belongs on the first layer only", "input_shape= va solo en la primera capa"),
    ("the name '{0}' is already used by layer {1}: names must be unique",
     "el nombre '{0}' ya lo usa la capa {1}: los nombres deben ser únicos"),
    ("{0} names what it joins inside its parentheses, for example add(a, b)",
     "{0} nombra lo que une dentro de sus paréntesis, por ejemplo add(a, b)"),
    ("'{0}' is not a layer named before this one", "'{0}' no es una capa nombrada antes de esta"),
    ("'{0} =' without a layer after it", "'{0} =' sin una capa después"),
    ("'{0}' is a reserved name: choose another", "'{0}' es un nombre reservado: elegir otro"),
    ("expected a layer name such as conv2d, maxpool, flatten or dense, found '{0}'",
     "se esperaba un nombre de capa como conv2d, maxpool, flatten o dense, se encontró '{0}'"),
    ("unexpected '{0}' after '{1}': expected '(' or '->'",
     "'{0}' inesperado después de '{1}': se esperaba '(' o '->'"),
    ("'(' is never closed", "'(' nunca se cierra"),
    ("expected the names of the layers it reads, for example conv2d(8, 1)(x)",
     "se esperaban los nombres de las capas que lee, por ejemplo conv2d(8, 1)(x)"),
    ("unexpected '{0}' after '{1}(...)': separate layers with '->' or a new line",
     "'{0}' inesperado después de '{1}(...)': separar las capas con '->' o una línea nueva"),
    ("empty argument between commas", "argumento vacío entre comas"),
    ("'=' without an argument name before it", "'=' sin un nombre de argumento antes"),
    ("'{0}=' without a value", "'{0}=' sin un valor"),
    ("unknown argument '{0}' for input (expected shape)",
     "argumento desconocido '{0}' para 'input' (se esperaba 'shape')"),
    ("input needs a shape such as input(28, 28, 1) or input(28x28x1)",
     "'input' necesita una forma como input(28, 28, 1) o input(28x28x1)"),
    ("unknown layer '{0}'; layers: {1}", "capa desconocida '{0}'; capas: {1}"),
    ("unknown layer '{0}' (did you mean {1}?); layers: {2}",
     "capa desconocida '{0}' (¿se quiso escribir {1}?); capas: {2}"),
    ("{0} takes the names of the layers it joins, for example add(a, b)",
     "{0} toma los nombres de las capas que une, por ejemplo add(a, b)"),
    ("{0} joins two or more layers, for example {1}(a, b)", "{0} une dos o más capas, por ejemplo {1}(a, b)"),
    ("unknown argument '{0}' for {1} (it takes none but name and trainable)",
     "argumento desconocido '{0}' para {1} (no toma ninguno salvo name y trainable)"),
    ("unknown argument '{0}' for {1}; it takes {2}", "argumento desconocido '{0}' para {1}; toma {2}"),
    ("unknown argument '{0}' (did you mean {1}?) for {2} (it takes none but name and trainable)",
     "argumento desconocido '{0}' (¿se quiso escribir {1}?) para {2} (no toma ninguno salvo name y trainable)"),
    ("unknown argument '{0}' (did you mean {1}?) for {2}; it takes {3}",
     "argumento desconocido '{0}' (¿se quiso escribir {1}?) para {2}; toma {3}"),
    ("unexpected argument '{0}': {1} takes {2}", "argumento inesperado '{0}': {1} toma {2}"),
    ("{0} is given twice", "{0} se indica dos veces"),
    ("{0} must be a whole number of at least 1 (got '{1}')",
     "{0} debe ser un entero de al menos 1 (se recibió '{1}')"),
    ("{0} must be at most {1} (got '{2}')", "{0} debe ser como mucho {1} (se recibió '{2}')"),
    ("{0} must be a number (got '{1}')", "{0} debe ser un número (se recibió '{1}')"),
    ("this model has branches (named layers, add or concatenate): it is a graph, not a Sequential stack",
     "este modelo tiene ramas (capas con nombre, add o concatenate): es un grafo, no una pila Sequential"),
    ("{0} must be N, (R, C) or RxC with whole numbers from 1 to {1} (got '{2}')",
     "{0} debe ser N, (F, C) o FxC con enteros de 1 a {1} (se recibió '{2}')"),
    ("padding for pooling must be valid or same (got '{0}')",
     "el padding del pooling debe ser valid o same (se recibió '{0}')"),
    ("padding must be valid, same or a number of zeros (got '{0}')",
     "el padding debe ser valid, same o una cantidad de ceros (se recibió '{0}')"),
    ("padding must be valid, same (got '{0}')", "el padding debe ser valid o same (se recibió '{0}')"),
    ("padding must be valid, same or a number of zeros (got '{0}') (did you mean {1}?)",
     "el padding debe ser valid, same o una cantidad de ceros (se recibió '{0}') (¿se quiso escribir {1}?)"),
    ("padding must be valid, same (got '{0}') (did you mean {1}?)",
     "el padding debe ser valid o same (se recibió '{0}') (¿se quiso escribir {1}?)"),
    ("unknown activation '{0}'; use relu, tanh, sigmoid, softmax or linear",
     "activación desconocida '{0}'; usar relu, tanh, sigmoid, softmax o linear"),
    ("unknown activation '{0}' (did you mean {1}?); use relu, tanh, sigmoid, softmax or linear",
     "activación desconocida '{0}' (¿se quiso escribir {1}?); usar relu, tanh, sigmoid, softmax o linear"),
    ("{0} must be true or false (got '{1}')", "{0} debe ser true o false (se recibió '{1}')"),
    ("{0} must be a word of letters, digits, '_' or '-' (got '{1}')",
     "{0} debe ser una palabra de letras, dígitos, '_' o '-' (se recibió '{1}')"),
    ("{0} must be a shape such as (28, 28, 1), sizes from 1 to {1} (got '{2}')",
     "{0} debe ser una forma como (28, 28, 1), tamaños de 1 a {1} (se recibió '{2}')"),
    // networks, training, Grad-CAM
    ("the image is empty", "la imagen está vacía"),
    ("no digit found: the image has no contrast between digit and background",
     "no se encontró un dígito: la imagen no tiene contraste entre dígito y fondo"),
    ("weight tensor {0} holds {1} (value {2} of {3}): not a usable model (damaged file, or a training run that diverged)",
     "el tensor de pesos {0} contiene {1} (valor {2} de {3}): no es un modelo utilizable (archivo dañado, o un entrenamiento que divergió)"),
    ("Grad-CAM needs a layer with a feature map before the last layer",
     "Grad-CAM necesita una capa con un mapa de características antes de la última capa"),
    ("class {0} is not one of the model's {1} classes (0-{2})",
     "la clase {0} no es una de las {1} clases del modelo (0-{2})"),
    ("the model's last layer must give class scores (softmax or linear)",
     "la última capa del modelo debe dar puntajes por clase (softmax o linear)"),
    ("no gradient reaches {0}", "ningún gradiente llega a {0}"),
    ("the model needs {0} weight tensors, got {1}", "el modelo necesita {0} tensores de pesos, recibió {1}"),
    ("{0} needs {1} values (shape {2}), got {3}", "{0} necesita {1} valores (forma {2}), recibió {3}"),
    ("{0}: a model takes one input layer, first", "{0}: un modelo toma una sola capa de entrada, al principio"),
    ("the model needs more weight tensors than the {0} given",
     "el modelo necesita más tensores de pesos que los {0} dados"),
    ("{0}/{1} needs {2} values (shape {3}), got {4}", "{0}/{1} necesita {2} valores (forma {3}), recibió {4}"),
    ("the model has no layers", "el modelo no tiene capas"),
    ("the last layer must end in a softmax (or linear logits) for categorical cross-entropy, for example dense(10, softmax)",
     "la última capa debe terminar en softmax (o logits lineales) para la entropía cruzada categórica, por ejemplo dense(10, softmax)"),
    ("the model's output must be one vector of class scores, got {0}: add flatten before the last dense",
     "la salida del modelo debe ser un vector de puntajes por clase, se recibió {0}: agregar flatten antes del último dense"),
    ("training diverged: the loss became {0} at epoch {1}, batch {2}; the learning rate {3} is probably too high: try --lr {4}",
     "el entrenamiento divergió: la pérdida se volvió {0} en la época {1}, lote {2}; la tasa de aprendizaje {3} probablemente es demasiado alta: probar --lr {4}"),
    ("training diverged: the loss became infinite at epoch {0}, batch {1}; the learning rate {2} is probably too high: try --lr {3}",
     "el entrenamiento divergió: la pérdida se volvió infinita en la época {0}, lote {1}; la tasa de aprendizaje {2} probablemente es demasiado alta: probar --lr {3}"),
    ("label {0} of example {1} is not a class of a {2}-way output",
     "la etiqueta {0} del ejemplo {1} no es una clase de una salida de {2} clases"),
    ("the model expects images of shape {0}, the data has {1}",
     "el modelo espera imágenes de forma {0}, los datos tienen {1}"),
    ("no images: an empty set can be neither trained on nor evaluated",
     "no hay imágenes: un conjunto vacío no se puede entrenar ni evaluar"),
    ("ragged rows: this row has {0} numbers, the first row of its block has {1}",
     "filas desparejas: esta fila tiene {0} números, la primera fila de su bloque tiene {1}"),
    ("no numbers found", "no se encontraron números"),
    ("'{0}' is not a number", "'{0}' no es un número"),
    ("channel {0} is {1}x{2} but channel 1 is {3}x{4}; every channel must have the same size",
     "el canal {0} mide {1}x{2} pero el canal 1 mide {3}x{4}; todos los canales deben tener el mismo tamaño"),
    ("the base model takes {0} images but these are {1}: the channels must match",
     "el modelo base toma imágenes {0} pero estas son {1}: los canales deben coincidir"),
    ("the model has no Dense layer to use as the classifier head",
     "el modelo no tiene una capa Dense para usar como cabeza clasificadora"),
    ("the model has no Dense layer to replace with a new classifier",
     "el modelo no tiene una capa Dense para reemplazar por un clasificador nuevo"),
    ("fine-tuning here works on Sequential models; this one has branches",
     "el ajuste fino aquí funciona con modelos Sequential; este tiene ramas"),
    ("the base model has no weight {0}", "el modelo base no tiene el peso {0}"),
    ("weight {0} has shape {1} in the base model but {2} here (the new input shape changes it)",
     "el peso {0} tiene forma {1} en el modelo base pero {2} aquí (la nueva forma de entrada lo cambia)"),
    ("{0} has no convolutional base (no feature maps before its classifier)",
     "{0} no tiene una base convolucional (no hay mapas de características antes de su clasificador)"),
    ("{0}: the classifier does not read the last layer before it",
     "{0}: el clasificador no lee la última capa anterior a él"),
    ("{0} on {1} images: {2}", "{0} con imágenes {1}: {2}"),
    // ConvPretrained: bases, graphs, HDF5
    ("torchvision's resnet50 is ResNet v1.5 (the stride in the 3x3 convolutions, no convolution biases)",
     "el resnet50 de torchvision es ResNet v1.5 (el stride en las convoluciones 3x3, sin bias en las convoluciones)"),
    ("convplay maps torchvision's layer names for VGG only",
     "convplay traduce los nombres de capa de torchvision solo para VGG"),
    ("torchvision has no Xception", "torchvision no tiene Xception"),
    ("torchvision has MobileNet v2 and v3, not the course's MobileNet (v1)",
     "torchvision tiene MobileNet v2 y v3, no el MobileNet del curso (v1)"),
    ("its layers are not Keras's", "sus capas no son las de Keras"),
    ("{0}: the {1} base reads Keras weight files (.h5, .keras), not .pth: {2}",
     "{0}: la base {1} lee archivos de pesos de Keras (.h5, .keras), no .pth: {2}"),
    ("the file has weights for {0} layer(s), {1} has {2} layers with weights",
     "el archivo tiene pesos para {0} capa(s), {1} tiene {2} capas con pesos"),
    ("the file has weights for {0} layer(s), {1} has {2} layers with weights (no {3} in the file)",
     "el archivo tiene pesos para {0} capa(s), {1} tiene {2} capas con pesos (no hay {3} en el archivo)"),
    ("the file has weights for {0} layer(s), the architecture has {1} layers with weights",
     "el archivo tiene pesos para {0} capa(s), la arquitectura tiene {1} capas con pesos"),
    ("layer {0} of the file has {1} weight(s), {2} needs {3} ({4})",
     "la capa {0} del archivo tiene {1} peso(s), {2} necesita {3} ({4})"),
    ("{0}/{1}: the file's {2} has shape {3}, the network needs {4} (Keras's layout)",
     "{0}/{1}: el {2} del archivo tiene forma {3}, la red necesita {4} (la disposición de Keras)"),
    ("{0}: {1} holds no floating-point numbers", "{0}: {1} no contiene números de punto flotante"),
    ("{0}: {1} has shape {2}, over the limit of {3} values",
     "{0}: {1} tiene forma {2}, más que el límite de {3} valores"),
    ("{0}: {1} attribute {2}: {3}", "{0}: {1} atributo {2}: {3}"),
    ("{0}: attribute {1} is damaged", "{0}: el atributo {1} está dañado"),
    ("{0}: a zip, but not a .keras model (no config.json and model.weights.h5)",
     "{0}: un zip, pero no un modelo .keras (no tiene config.json y model.weights.h5)"),
    // Keras model configs and weight files
    ("layer {0} is called more than once (a shared layer), which convplay does not run",
     "la capa {0} se llama más de una vez (una capa compartida), algo que convplay no ejecuta"),
    ("the model config is not valid JSON", "la configuración del modelo no es JSON válido"),
    ("the model config does not give its input shape (build the model on an Input first)",
     "la configuración del modelo no da su forma de entrada (construir antes el modelo sobre un Input)"),
    ("layer {0}: its config is not an object", "capa {0}: su config no es un objeto"),
    ("the model config: {0}", "la configuración del modelo: {0}"),
    ("the model config has no class_name and config: not a Keras model",
     "la configuración del modelo no tiene class_name ni config: no es un modelo de Keras"),
    ("the model is a {0}: convplay reads Sequential and Functional Keras models",
     "el modelo es un {0}: convplay lee modelos Sequential y Functional de Keras"),
    ("the model config lists no layers", "la configuración del modelo no lista capas"),
    ("layer {0} of the model config has no class_name or config",
     "la capa {0} de la configuración del modelo no tiene class_name o config"),
    ("layer {0} takes the output of {1}, which the model config does not define",
     "la capa {0} toma la salida de {1}, que la configuración del modelo no define"),
    ("{0}: layers nested too deeply", "{0}: capas anidadas a demasiada profundidad"),
    ("{0}: more than {1} layer groups (linked in a cycle?)",
     "{0}: más de {1} grupos de capas (¿enlazados en un ciclo?)"),
    ("{0}: {1} numbers its weights {2}, not 0, 1, 2, ...", "{0}: {1} numera sus pesos {2}, no 0, 1, 2, ..."),
    ("{0}: an HDF5 file, but not Keras weights (no layer_names, model_weights or layers)",
     "{0}: un archivo HDF5, pero no pesos de Keras (no tiene layer_names, model_weights ni layers)"),
    ("{0}: no layer_names attribute in {1}", "{0}: no hay atributo layer_names en {1}"),
    ("{0}: layer_names lists {1}, which has no group in the file",
     "{0}: layer_names lista {1}, que no tiene grupo en el archivo"),
    ("{0}: layer {1} lists weight {2}, which is not in the file",
     "{0}: la capa {1} lista el peso {2}, que no está en el archivo"),
    // NPZ
    ("{0}: array {1}: {2}", "{0}: arreglo {1}: {2}"),
    ("not a .npy array", "no es un arreglo .npy"),
    ("truncated header", "encabezado cortado"),
    ("the header lacks descr, fortran_order or shape", "al encabezado le falta 'descr', 'fortran_order' o 'shape'"),
    ("Fortran-ordered array: save it with numpy.ascontiguousarray first",
     "arreglo en orden de Fortran: guardarlo antes con numpy.ascontiguousarray"),
    ("cannot read its shape", "no se puede leer su forma"),
    ("truncated data: shape {0} holds more values than the file has bytes",
     "datos cortados: la forma {0} tiene más valores que bytes el archivo"),
    ("data type {0}: convplay reads little-endian float32, float64, int64 and int32 arrays",
     "tipo de datos {0}: convplay lee arreglos float32, float64, int64 e int32 little-endian"),
    ("truncated data: shape {0} needs {1} bytes, the file has {2}",
     "datos cortados: la forma {0} necesita {1} bytes, el archivo tiene {2}"),
    // photos and classifiers
    ("{0} channels; the digits model needs a gray or RGB image",
     "{0} canales; el modelo de dígitos necesita una imagen en gris o RGB"),
    ("the network takes {0}-channel images, the photo has {1}",
     "la red toma imágenes de {0} canales, la foto tiene {1}"),
    ("preprocessing '{0}' needs a 3-channel network, this one takes {1}",
     "el preprocesamiento '{0}' necesita una red de 3 canales, esta toma {1}"),
    ("{0}: not a convplay model (no {1} in its metadata); give --arch, or bring Keras or PyTorch weights in with 'convplay import {2} --arch ... -o model.safetensors'",
     "{0}: no es un modelo de convplay (no hay {1} en sus metadatos); indicar --arch, o traer pesos de Keras o PyTorch con 'convplay import {2} --arch ... -o model.safetensors'"),
    // PyTorch checkpoints and pickles
    ("{0}: empty file", "{0}: archivo vacío"),
    ("cannot read {0}: {1}", "no se puede leer {0}: {1}"),
    ("{0}: not a PyTorch file (no zip, no legacy magic number)",
     "{0}: no es un archivo de PyTorch (ni zip ni el número mágico del formato antiguo)"),
    ("{0}: legacy PyTorch protocol {1}, convplay reads 1001",
     "{0}: protocolo antiguo de PyTorch {1}, convplay lee 1001"),
    ("{0}: the storage key list is missing", "{0}: falta la lista de claves de almacenamiento"),
    ("{0}: a storage key is not text", "{0}: una clave de almacenamiento no es texto"),
    ("{0}: the file is cut short before storage {1}", "{0}: el archivo se corta antes del almacenamiento {1}"),
    ("{0}: storage {1} claims {2} values, more than the file holds",
     "{0}: el almacenamiento {1} declara {2} valores, más de los que tiene el archivo"),
    ("{0}: tensor {1}: storage {2} is missing", "{0}: tensor {1}: falta el almacenamiento {2}"),
    ("{0}: tensor {1}: storage {2} holds {3} values, the pickle says {4}",
     "{0}: tensor {1}: el almacenamiento {2} tiene {3} valores, el pickle dice {4}"),
    ("{0}: the pickle holds no state dict", "{0}: el pickle no contiene un state dict"),
    ("{0}: a state dict key is not text", "{0}: una clave del state dict no es texto"),
    ("{0}: the state dict holds no tensors", "{0}: el state dict no contiene tensores"),
    ("{0}: tensor {1} has shape {2}, over the limit of {3} values",
     "{0}: el tensor {1} tiene forma {2}, más que el límite de {3} valores"),
    ("{0}: tensor {1}: its storage claims {2} values, it holds {3}",
     "{0}: tensor {1}: su almacenamiento declara {2} valores, tiene {3}"),
    ("{0}: tensor {1} has a negative size, stride or offset",
     "{0}: el tensor {1} tiene un tamaño, stride o desplazamiento negativo"),
    ("{0}: tensor {1} has an impossible stride", "{0}: el tensor {1} tiene un stride imposible"),
    ("{0}: tensor {1} (shape {2}) reaches past the end of its storage of {3} values",
     "{0}: el tensor {1} (forma {2}) llega más allá del final de su almacenamiento de {3} valores"),
    ("{0}: a zip without data.pkl, not a PyTorch file", "{0}: un zip sin data.pkl, no es un archivo de PyTorch"),
    ("{0}: tensor {1}: its storage {2} is missing", "{0}: tensor {1}: falta su almacenamiento {2}"),
    ("{0}: tensor {1}: its storage ends early", "{0}: tensor {1}: su almacenamiento termina antes de tiempo"),
    ("the pickle is cut short in a GLOBAL", "el pickle se corta en un GLOBAL"),
    ("the pickle pops an empty stack", "el pickle saca de una pila vacía"),
    ("the pickle pops past a MARK", "el pickle saca más allá de un MARK"),
    ("the pickle has no MARK where it needs one", "el pickle no tiene un MARK donde lo necesita"),
    ("the pickle's stack grows past {0}", "la pila del pickle crece más allá de {0}"),
    ("the pickle memoizes an empty stack", "el pickle memoriza una pila vacía"),
    ("the pickle's memo grows too large", "la memoria del pickle crece demasiado"),
    ("the pickle refers to memo entry {0}, which it never stored",
     "el pickle se refiere a la entrada de memoria {0}, que nunca guardó"),
    ("the file names the Python global {0}, which a state dict does not need; convplay reads tensors only and never runs code from a file",
     "el archivo nombra el global de Python {0}, que un state dict no necesita; convplay solo lee tensores y nunca ejecuta código de un archivo"),
    ("the pickle sets items on something that is not a dict", "el pickle asigna elementos a algo que no es un dict"),
    ("the pickle sets an odd number of dict items", "el pickle asigna una cantidad impar de elementos de dict"),
    ("the pickle runs past {0} operations", "el pickle supera las {0} operaciones"),
    ("the pickle ends with an unbalanced stack", "el pickle termina con la pila desbalanceada"),
    ("the pickle appends to something that is not a list", "el pickle agrega a algo que no es una lista"),
    ("the pickle's STACK_GLOBAL takes no names", "el STACK_GLOBAL del pickle no recibe nombres"),
    ("the pickle names a storage it does not describe", "el pickle nombra un almacenamiento que no describe"),
    ("the pickle names a storage of an unknown type", "el pickle nombra un almacenamiento de un tipo desconocido"),
    ("the pickle's REDUCE takes no argument tuple", "el REDUCE del pickle no recibe una tupla de argumentos"),
    ("the pickle calls something that is not a known function (a storage type or a value)",
     "el pickle llama algo que no es una función conocida (un tipo de almacenamiento o un valor)"),
    ("OrderedDict is built with arguments", "OrderedDict se construye con argumentos"),
    ("_rebuild_parameter without a tensor", "_rebuild_parameter sin un tensor"),
    ("the pickle sets the state of something that is not a dict",
     "el pickle asigna el estado de algo que no es un dict"),
    ("the pickle uses opcode 0x{0}, which a state dict does not need; convplay refuses it",
     "el pickle usa el código de operación 0x{0}, que un state dict no necesita; convplay lo rechaza"),
    ("_rebuild_tensor_v2 with arguments that do not describe a tensor",
     "_rebuild_tensor_v2 con argumentos que no describen un tensor"),
    ("a tensor with an impossible shape or stride", "un tensor con una forma o un stride imposible"),
    ("the pickle is cut short (at byte {0})", "el pickle se corta (en el byte {0})"),
    // weight files and imports
    ("cannot tell whether these are Keras or PyTorch weights: give --from keras or --from pytorch",
     "no se puede saber si son pesos de Keras o de PyTorch: indicar --from keras o --from pytorch"),
    ("{0}: not a weights file convplay reads (Keras .h5/.keras, PyTorch .pth/.pt, safetensors or .npz)",
     "{0}: no es un archivo de pesos que convplay lea (Keras .h5/.keras, PyTorch .pth/.pt, safetensors o .npz)"),
    ("the file holds weights for {0} layer(s) ({1}), the architecture has {2} layers with weights, and their names do not match",
     "el archivo tiene pesos para {0} capa(s) ({1}), la arquitectura tiene {2} capas con pesos, y sus nombres no coinciden"),
    ("(no prefix)", "(sin prefijo)"),
    ("tensor {0} does not belong to any layer of the architecture",
     "el tensor {0} no pertenece a ninguna capa de la arquitectura"),
    ("{0}/{1}: no tensor for it in the file (looked for {2})",
     "{0}/{1}: no hay un tensor para él en el archivo (se buscó {2})"),
    ("{0}/{1}: expected shape {2} ({3}), got {4} from tensor {5}",
     "{0}/{1}: se esperaba la forma {2} ({3}), se recibió {4} del tensor {5}"),
    ("one value per output", "un valor por salida"),
    ("height, width, in, out: Keras's layout", "alto, ancho, entrada, salida: la disposición de Keras"),
    ("out, in, height, width: PyTorch's layout", "salida, entrada, alto, ancho: la disposición de PyTorch"),
    ("in, out: Keras's layout", "entrada, salida: la disposición de Keras"),
    ("out, in: PyTorch's layout", "salida, entrada: la disposición de PyTorch"),
    ("{0} ({1}): importing its weights from this file is not supported",
     "{0} ({1}): importar sus pesos desde este archivo no es compatible"),
    ("tensor {0} ({1}) is not a weight of layer {2} ({3})", "el tensor {0} ({1}) no es un peso de la capa {2} ({3})"),
    ("{0} ({1}): tensors matched by name fit a network without branches; {2} has branches (give its Keras .h5 or .keras file)",
     "{0} ({1}): los tensores emparejados por nombre sirven para una red sin ramas; {2} tiene ramas (indicar su archivo .h5 o .keras de Keras)"),
    ("{0} has no classifier (include_top=False): give --arch with the architecture its weights fit",
     "{0} no tiene clasificador (include_top=False): indicar --arch con la arquitectura a la que corresponden sus pesos"),
    ("{0} ({1}) holds weights without a convplay architecture: give --arch {2}",
     "{0} ({1}) tiene pesos sin una arquitectura de convplay: indicar --arch {2}"),
    // zip archives
    ("{0}: not a readable zip file (truncated or damaged?)",
     "{0}: no es un archivo zip legible (¿cortado o dañado?)"),
    ("{0}: no {1} in the archive", "{0}: no hay {1} en el archivo comprimido"),
    ("{0}: {1} would inflate to {2} bytes, over the limit of {3}",
     "{0}: {1} se descomprimiría a {2} bytes, más que el límite de {3}"),
    ("{0}: {1} inflates past the {2} bytes its header declares (a zip bomb?)",
     "{0}: {1} se descomprime a más de los {2} bytes que declara su encabezado (¿una bomba zip?)"),
    ("{0}: {1} is damaged or truncated", "{0}: {1} está dañado o cortado"),
    ("{0}: {1} holds {2} bytes, its header says {3}", "{0}: {1} tiene {2} bytes, su encabezado dice {3}"),
    ("{0}: {1} fails its CRC-32 check (damaged file)", "{0}: {1} no pasa su comprobación CRC-32 (archivo dañado)"),
    ("{0}: {1} (damaged or not a zip file)", "{0}: {1} (dañado o no es un archivo zip)"),
    ("{0}: the zip's {1}", "{0}: {1} del zip"),
    ("the zip's {0}: {1}", "{0} del zip: {1}"),
    ("zip64 end record offset", "desplazamiento del registro final zip64"),
    ("central directory size", "tamaño del directorio central"),
    ("central directory offset", "desplazamiento del directorio central"),
    ("entry offset", "desplazamiento de la entrada"),
    ("entry size", "tamaño de la entrada"),
    ("a zip record points outside the file", "un registro del zip apunta fuera del archivo"),
    ("a zip record is truncated", "un registro del zip está cortado"),
    ("no end of central directory", "no hay fin de directorio central"),
    ("the zip64 end record is missing", "falta el registro final zip64"),
    ("the central directory runs past the end of the file",
     "el directorio central va más allá del final del archivo"),
    ("a central directory entry is damaged", "una entrada del directorio central está dañada"),
    ("a central directory entry runs past the directory",
     "una entrada del directorio central va más allá del directorio"),
    ("a zip extra field is damaged", "un campo extra del zip está dañado"),
    ("a zip64 extra field is too short", "un campo extra zip64 es demasiado corto"),
    ("an entry runs past the end of the file", "una entrada va más allá del final del archivo"),
    // ConvUserData
    ("not overwritten", "no se sobrescribió"),
    // CHDF5 (C)
    ("a float of {0} bytes", "un número de punto flotante de {0} bytes"),
    ("attribute {0} holds too many strings", "el atributo {0} tiene demasiadas cadenas"),
    ("attribute {0} is not text", "el atributo {0} no es texto"),
    ("attribute {0} is too large", "el atributo {0} es demasiado grande"),
    ("cannot list the group", "no se puede listar el grupo"),
    ("cannot open the attribute", "no se puede abrir el atributo"),
    ("cannot read the attribute", "no se puede leer el atributo"),
    ("cannot read the attribute's type", "no se puede leer el tipo del atributo"),
    ("cannot read the dataset", "no se puede leer el dataset"),
    ("cannot read the dataset (corrupt or truncated file?)",
     "no se puede leer el dataset (¿archivo dañado o cortado?)"),
    ("cannot read the dataset's dimensions", "no se pueden leer las dimensiones del dataset"),
    ("cannot read the dataset's rank", "no se puede leer el rango del dataset"),
    ("cannot read the dataset's shape", "no se puede leer la forma del dataset"),
    ("dimension too large", "dimensión demasiado grande"),
    ("group {0} has too many members", "el grupo {0} tiene demasiados miembros"),
    ("its storage chunks are larger than the dataset (damaged file?)",
     "sus bloques de almacenamiento son más grandes que el dataset (¿archivo dañado?)"),
    ("no attribute {0}", "no hay atributo {0}"),
    ("no dataset {0}", "no hay dataset {0}"),
    ("no group {0}", "no hay grupo {0}"),
    ("not a float dataset", "no es un dataset de punto flotante"),
    ("not a readable HDF5 file", "no es un archivo HDF5 legible"),
    ("rank {0} (more than {1} dimensions)", "rango {0} (más de {1} dimensiones)"),
    ("the dataset's size changed", "el tamaño del dataset cambió"),
    // libhdf5's own reasons, carried in parentheses
    ("not a readable HDF5 file ({0})", "no es un archivo HDF5 legible ({0})"),
    ("cannot open the attribute ({0})", "no se puede abrir el atributo ({0})"),
    ("cannot read the attribute ({0})", "no se puede leer el atributo ({0})"),
    ("cannot read the attribute's type ({0})", "no se puede leer el tipo del atributo ({0})"),
    ("cannot list the group ({0})", "no se puede listar el grupo ({0})"),
    ("cannot read the dataset ({0})", "no se puede leer el dataset ({0})"),
    ("cannot read the dataset's shape ({0})", "no se puede leer la forma del dataset ({0})"),
    ("cannot read the dataset's rank ({0})", "no se puede leer el rango del dataset ({0})"),
    ("cannot read the dataset's dimensions ({0})", "no se pueden leer las dimensiones del dataset ({0})"),
    ("unable to open file", "no se puede abrir el archivo"),
    ("file signature not found", "no se encontró la firma del archivo"),
    ("unable to synchronously open file", "no se puede abrir el archivo"),
    ("unable to open object", "no se puede abrir el objeto"),
    ("unable to read attribute", "no se puede leer el atributo"),
  ]
}

