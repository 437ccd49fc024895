/// The strings of the backpropagation, network and transposed-convolution lessons (and of
/// `convplay step --backward`), in English and Spanish. A catalog of its own beside `T`, so
/// these lessons add no lines to the shared one; `Env.t` reads both alike and CatalogTests
/// checks that the placeholders match in both languages.
public enum ExplorerText: String, Catalog {
  // Home entries.
  case lessonBackprop, lessonBackpropBlurb, lessonNetwork, lessonNetworkBlurb, lessonTransposed
  case lessonTransposedBlurb
  // Backward pass (screen and command line).
  case bpIntro, bpUpstreamOnes, bpUpstreamTarget, bpUpstreamGiven, bpUpstreamRandom, bpLoss
  case bpBiasGrad, bpKernelRule, bpInputRule, bpFullConvolution
  case bpKernelStep, bpInputStep, bpInputStepPadding, bpNoWindow, bpSgdTitle, bpSgdRule, bpSgdStep, bpNewKernel
  case bpSettings
  case bpKeyUpstream, bpKeyPhase, bpKeyRate, bpHelp1, bpHelp2
  // Transposed convolution.
  case trcIntro, trcOutputRule, trcStep, trcKeyStride, trcKeyPadding, trcKeyKernel, trcHelp1, trcHelp2, trcCropped
  case trcInputTitle, trcOutputTitle
  // Network explorer.
  case netInput, netChannel, netCell, netValue, netConvFrom, netOneChannel, netChannels, netPoolFrom, netDenseFrom
  case netFlattenFrom, netDropoutFrom, netOutputFrom, netEnterConv, netEnterPool, netEnterDense
  case netEnterOutput, netLegendGray, netKeyLayer, netKeyChannel, netKeyCell, netKeyOpen, netKeyImage
  case netHelp1, netHelp2, netProblem, netDigitIndex, netPrediction, netDrawing, netKeyLayers
  case neuronTitle, neuronWindow, neuronFilter, neuronPartial, neuronBias, neuronBefore, neuronAfter
  case neuronReluNote, poolTitle, poolRule, denseTitle, denseTop, denseRest, denseTotal, softmaxTitle
  case softmaxExp, softmaxSum, softmaxDivide, softmaxTotal
  case reluRule, unvisited, unvisitedDilation, dilationRule
  // Network explorer on graphs (Add, Concatenate, MobileNet's and ResNet's layers).
  case netReads, netDepthwiseFrom, netSeparableFrom, netGlobalAvgFrom, netGlobalMaxFrom, netAddFrom, netEnterAdd
  case netConcatFrom, netEnterConcat, netBatchNormFrom, netZeroPadInside, netZeroPadOutside, netActivationFrom
  case neuronOwnKernel, neuronDepthwiseBias, addIntro, addRule, addNote, concatIntro, concatChannels, concatThis

  // swift-format-ignore
  public var pair: (en: String, es: String) {
    switch self {
    case .lessonBackprop: return ("Backpropagation, cell by cell", "Retropropagación, celda a celda")
    case .lessonBackpropBlurb: return ("The backward pass of a convolution with the course's numbers: each kernel cell's gradient is a sum over the windows of input times output gradient; each input cell's gradient collects the output gradients through the kernel (a full convolution with the flipped kernel). Then one gradient-descent step updates the kernel.",
                                      "La pasada hacia atrás de una convolución con los números del curso: el gradiente de cada celda del kernel es una suma sobre las ventanas de entrada por gradiente de la salida; el gradiente de cada celda de la entrada reúne los gradientes de la salida a través del kernel (una convolución completa con el kernel girado). Después, un paso de descenso por gradiente actualiza el kernel.")
    case .lessonNetwork: return ("A network, layer by layer", "Una red, capa a capa")
    case .lessonNetworkBlurb: return ("One digit flows through the trained digits model: every layer's feature maps, from 28x28x1 to 10 probabilities. Choose a cell and press Enter to see the real computation behind it: the neuron's window and weights, the pooling window, a dense unit's largest contributions, the softmax.",
                                     "Un dígito recorre el modelo de dígitos entrenado: los mapas de características de cada capa, de 28x28x1 a 10 probabilidades. Elegir una celda y presionar Enter para ver el cálculo real que hay detrás: la ventana y los pesos de la neurona, la ventana de pooling, los mayores aportes de una unidad densa, el softmax.")
    case .lessonTransposed: return ("Transposed convolution", "Convolución transpuesta")
    case .lessonTransposedBlurb: return ("The layer that makes images larger (Conv2DTranspose): each input cell stamps the kernel, scaled by its value, onto the output, stride cells apart; overlaps add up. Output size (N-1)*S - 2P + K.",
                                        "La capa que agranda imágenes (Conv2DTranspose): cada celda de la entrada estampa el kernel, multiplicado por su valor, en la salida, separadas por el stride; las superposiciones se suman. Tamaño de salida (N-1)*S - 2P + K.")

    case .bpIntro: return ("Backward pass of Y = X (*) K + b ({0} input, {1} kernel, {2} output; cross-correlation, as Keras computes it)",
                           "Pasada hacia atrás de Y = X (*) K + b (entrada {0}, kernel {1}, salida {2}; correlación cruzada, como calcula Keras)")
    case .bpUpstreamOnes: return ("Upstream gradient G = dL/dY: ones (L = sum of every cell of Y)",
                                  "Gradiente que llega G = dL/dY: unos (L = suma de todas las celdas de Y)")
    case .bpUpstreamTarget: return ("Upstream gradient G = dL/dY = Y - T, from the loss L = 0.5*sum((Y - T)^2) against the target T",
                                    "Gradiente que llega G = dL/dY = Y - T, de la pérdida L = 0,5*suma((Y - T)^2) contra el objetivo T")
    case .bpUpstreamGiven: return ("Upstream gradient G = dL/dY: as given", "Gradiente que llega G = dL/dY: el indicado")
    case .bpUpstreamRandom: return ("Upstream gradient G = dL/dY: small whole numbers (as if from a later layer)",
                                    "Gradiente que llega G = dL/dY: enteros pequeños (como si vinieran de una capa posterior)")
    case .bpLoss: return ("L = 0.5*sum((Y - T)^2) = {0}", "L = 0,5*suma((Y - T)^2) = {0}")
    case .bpBiasGrad: return ("dL/db = sum of G = {0}", "dL/db = suma de G = {0}")
    case .bpKernelRule: return ("dL/dK[i,j] = sum over every window of (input under tap i,j) * (that window's output gradient)",
                                "dL/dK[i,j] = suma sobre todas las ventanas de (entrada bajo la posición i,j) * (gradiente de la salida de esa ventana)")
    case .bpInputRule: return ("dL/dX[r,c] = sum of (output gradient) * (kernel weight) over every window and tap that read X[r,c]",
                               "dL/dX[r,c] = suma de (gradiente de la salida) * (peso del kernel) sobre cada ventana y posición que leyó X[r,c]")
    case .bpFullConvolution: return ("The same numbers: a \"full\" convolution of G (spread out by the stride, framed by K-1 zeros) with the kernel turned 180 degrees.",
                                     "Los mismos números: una convolución \"completa\" de G (separado por el stride, rodeado de K-1 ceros) con el kernel girado 180 grados.")
    case .bpKernelStep: return ("Step {0}/{1}: dL/dK[{2},{3}] = {4}", "Paso {0}/{1}: dL/dK[{2},{3}] = {4}")
    case .bpInputStep: return ("Step {0}/{1}: dL/dX[{2},{3}] = {4}", "Paso {0}/{1}: dL/dX[{2},{3}] = {4}")
    case .bpInputStepPadding: return ("Step {0}/{1}: padded cell [{2},{3}] receives {4}, which is dropped (padding is not an input)",
                                      "Paso {0}/{1}: la celda de padding [{2},{3}] recibe {4}, que se descarta (el padding no es una entrada)")
    case .bpNoWindow: return ("no window reads this cell: its gradient is 0", "ninguna ventana lee esta celda: su gradiente es 0")
    case .bpSgdTitle: return ("Step {0}/{1}: one SGD step, learning rate {2}", "Paso {0}/{1}: un paso de SGD, tasa de aprendizaje {2}")
    case .bpSgdRule: return ("K' = K - lr*dL/dK,  b' = b - lr*dL/db", "K' = K - lr*dL/dK,  b' = b - lr*dL/db")
    case .bpSgdStep: return ("SGD step, learning rate {0}: K' = K - {0}*dL/dK", "Paso de SGD, tasa de aprendizaje {0}: K' = K - {0}*dL/dK")
    case .bpNewKernel: return ("K' (new kernel)", "K' (kernel nuevo)")
    case .bpSettings: return ("kernel {0} · padding {1} · stride {2} · dilation {3} · lr {4}",
                              "kernel {0} · padding {1} · stride {2} · dilation {3} · lr {4}")
    case .bpKeyUpstream: return ("gradient G", "gradiente G")
    case .bpKeyPhase: return ("dK/dX/SGD", "dK/dX/SGD")
    case .bpKeyRate: return ("learning rate", "tasa de aprendizaje")
    case .bpHelp1: return ("Training needs dL/dK: how the loss changes with each weight. Each weight met one input cell per window, so dL/dK[i,j] adds input * output gradient over all windows.",
                           "Entrenar necesita dL/dK: cuánto cambia la pérdida con cada peso. Cada peso encontró una celda de la entrada por ventana: dL/dK[i,j] suma entrada * gradiente de la salida en todas las ventanas.")
    case .bpHelp2: return ("Then dL/dX: each output gradient goes back through the kernel (a full convolution with the flipped kernel); what reaches the padding is dropped. Last, one SGD step K' = K - lr*dL/dK. g changes G.",
                           "Después dL/dX: cada gradiente de la salida vuelve a través del kernel (una convolución completa con el kernel girado); lo que llega al padding se descarta. Al final, un paso de SGD K' = K - lr*dL/dK. g cambia G.")
    case .trcIntro: return ("Input {0}, kernel {1}, stride {2}, padding {3}: each input cell stamps value*K onto the output",
                            "Entrada {0}, kernel {1}, stride {2}, padding {3}: cada celda de la entrada estampa valor*K en la salida")
    case .trcOutputRule: return ("Output size: (N-1)*S - 2P + K = ({0}-1)*{1} - 2*{2} + {3} = {4}",
                                 "Tamaño de salida: (N-1)*S - 2P + K = ({0}-1)*{1} - 2*{2} + {3} = {4}")
    case .trcStep: return ("Step {0}/{1}: input[{2},{3}] = {4} adds {4}*K at output rows {5}, cols {6}",
                           "Paso {0}/{1}: entrada[{2},{3}] = {4} suma {4}*K en las filas {5}, columnas {6} de la salida")
    case .trcKeyStride: return ("stride", "stride")
    case .trcKeyPadding: return ("padding", "padding")
    case .trcKeyKernel: return ("kernel size", "tamaño del kernel")
    case .trcHelp1: return ("Each input cell multiplies the whole kernel and adds it to the output, stride cells after the previous stamp; where stamps overlap, the numbers add up: a convolution run backwards.",
                           "Cada celda de la entrada multiplica el kernel entero y lo suma a la salida, stride celdas después del sello anterior; donde los sellos se superponen, los números se suman: una convolución al revés.")
    case .trcHelp2: return ("Output size (N-1)*S - 2P + K: the stamps cover (N-1)*S + K cells and padding P crops P from each side. Keras's Conv2DTranspose uses it to make feature maps larger.",
                           "Tamaño de salida (N-1)*S - 2P + K: los sellos cubren (N-1)*S + K celdas y el padding P recorta P de cada lado. Conv2DTranspose de Keras la usa para agrandar mapas de características.")
    case .trcCropped: return ("dimmed: the padding's rows and columns, cropped from the result", "atenuado: las filas y columnas del padding, recortadas del resultado")
    case .trcInputTitle: return ("Input {0}", "Entrada {0}")
    case .trcOutputTitle: return ("Output {0}", "Salida {0}")

    case .netInput: return ("Input", "Entrada")
    case .netChannel: return ("channel {0}/{1}", "canal {0}/{1}")
    case .netCell: return ("cell [{0},{1}]", "celda [{0},{1}]")
    case .netValue: return ("value {0}", "valor {0}")
    case .netConvFrom: return ("z = sum of a {0} window over {1} * filter {2} + bias {3} = {4}",
                           "z = suma de una ventana {0} sobre {1} * filtro {2} + bias {3} = {4}")
    case .netOneChannel: return ("1 channel", "1 canal")
    case .netChannels: return ("{0} channels", "{0} canales")
    case .netPoolFrom: return ("max of the {0} window at rows {1}, cols {2} of the previous layer's channel {3}",
                               "máximo de la ventana {0} en las filas {1}, columnas {2} del canal {3} de la capa anterior")
    case .netDenseFrom: return ("z = sum of {0} inputs * weights + bias {1} = {2}",
                           "z = suma de {0} entradas * pesos + bias {1} = {2}")
    case .netFlattenFrom: return ("the previous layer's [{0},{1}] channel {2}: flatten keeps every value, in one row",
                                  "la celda [{0},{1}] canal {2} de la capa anterior: flatten conserva todos los valores, en una fila")
    case .netDropoutFrom: return ("the same value: dropout only acts while training", "el mismo valor: dropout solo actúa al entrenar")
    case .netOutputFrom: return ("softmax of the logits: exp(z) / sum of exp", "softmax de los logits: exp(z) / suma de exp")
    case .netEnterConv: return ("Enter: this neuron's computation", "Enter: el cálculo de esta neurona")
    case .netEnterPool: return ("Enter: the pooling window", "Enter: la ventana de pooling")
    case .netEnterDense: return ("Enter: its largest contributions", "Enter: sus mayores aportes")
    case .netEnterOutput: return ("Enter: softmax, worked out", "Enter: el softmax, paso a paso")
    case .netLegendGray: return ("denser = larger |value|, each map on its own scale",
                           "más denso = mayor |valor|, cada mapa con su propia escala")
    case .netKeyLayer: return ("layer", "capa")
    case .netKeyChannel: return ("channel", "canal")
    case .netKeyCell: return ("cell", "celda")
    case .netKeyOpen: return ("computation", "cálculo")
    case .netKeyImage: return ("other digit", "otro dígito")
    case .netDrawing: return ("your drawing", "tu dibujo")
    case .netKeyLayers: return ("layer by layer", "capa a capa")
    case .netHelp1: return ("One image goes through the trained network. Each column is a layer: its feature maps drawn small and its shape; the last layer gives one probability per class. Colours: red negative, white zero, blue positive, each map on its own scale.",
                           "Una imagen recorre la red entrenada. Cada columna es una capa: sus mapas de características en pequeño y su forma; la última capa da una probabilidad por clase. Colores: rojo negativo, blanco cero, azul positivo, cada mapa con su propia escala.")
    case .netHelp2: return ("←→ choose a layer, ↑↓ a channel, w a s d a cell; the right panel shows its value and where it came from. Enter opens the real computation; q comes back here. n and N show another test digit.",
                           "←→ eligen una capa, ↑↓ un canal, w a s d una celda; el panel derecho muestra su valor y de dónde viene. Enter abre el cálculo real; q vuelve aquí. n y N muestran otro dígito de prueba.")
    case .netProblem: return ("Could not run the model: {0}", "No se pudo ejecutar el modelo: {0}")
    case .netDigitIndex: return ("MNIST test digit {0} (label {1})", "dígito de prueba {0} de MNIST (etiqueta {1})")
    case .netPrediction: return ("prediction: {0} ({1})", "predicción: {0} ({1})")

    case .neuronTitle: return ("Neuron {0} [{1},{2}] channel {3}", "Neurona {0} [{1},{2}] canal {3}")
    case .neuronWindow: return ("x: input rows {0}, cols {1}, channel {2}/{3}", "x: entrada filas {0}, columnas {1}, canal {2}/{3}")
    case .neuronFilter: return ("w: filter {0}, channel {1}", "w: filtro {0}, canal {1}")
    case .neuronPartial: return ("channel {0}: {1} = {2}", "canal {0}: {1} = {2}")
    case .neuronBias: return ("sum of {0} channels {1} + bias {2} = {3}", "suma de {0} canales {1} + bias {2} = {3}")
    case .neuronBefore: return ("before ReLU: {0}", "antes de ReLU: {0}")
    case .neuronAfter: return ("after ReLU: max(0, {0}) = {1}", "después de ReLU: max(0, {0}) = {1}")
    case .neuronReluNote: return ("ReLU sets negative values to zero", "ReLU pone a cero los valores negativos")
    case .poolTitle: return ("{0} [{1},{2}] channel {3}", "{0} [{1},{2}] canal {3}")
    case .poolRule: return ("max({0}) = {1}", "max({0}) = {1}")
    case .denseTitle: return ("Dense unit {0} of {1}", "Unidad densa {0} de {1}")
    case .denseTop: return ("largest contributions input*weight (of {0}):", "mayores aportes entrada*peso (de {0}):")
    case .denseRest: return ("the other {0} inputs add {1}", "las otras {0} entradas suman {1}")
    case .denseTotal: return ("total {0} + bias {1} = {2}", "total {0} + bias {1} = {2}")
    case .softmaxTitle: return ("Softmax of the logits", "Softmax de los logits")
    case .softmaxExp: return ("exp(z - max) for each class (max = {0}, subtracted so that exp never overflows):",
                              "exp(z - max) para cada clase (max = {0}, restado para que exp no desborde):")
    case .softmaxSum: return ("sum = {0}", "suma = {0}")
    case .softmaxDivide: return ("p = exp / sum", "p = exp / suma")
    case .softmaxTotal: return ("probabilities add up to {0}", "las probabilidades suman {0}")
    case .reluRule: return ("ReLU sets negatives to 0: max(0, {0}) = {1}",
                           "ReLU pone a 0 los negativos: max(0, {0}) = {1}")
    case .unvisited: return ("Dimmed: input cells that no window reads (the stride does not fit).", "Atenuadas: celdas de la entrada que ninguna ventana lee (el stride no encaja).")
    case .unvisitedDilation: return ("Dimmed: input cells that no window reads (the stride does not fit, or the dilation skips them).", "Atenuadas: celdas de la entrada que ninguna ventana lee (el stride no encaja, o la dilation las salta).")
    case .netReads: return ("reads {0}", "lee {0}")
    case .netDepthwiseFrom: return ("z = a {0} window of channel {1} alone * its own kernel + bias {2} = {3} (each channel has its own kernel; channels are not mixed)",
                                    "z = una ventana {0} del canal {1} solo * su propio kernel + bias {2} = {3} (cada canal tiene su propio kernel; los canales no se mezclan)")
    case .netSeparableFrom: return ("a {0} kernel on each channel alone (depthwise), then a 1x1 convolution mixes the {1} channels into {2} filters",
                                    "un kernel {0} sobre cada canal por separado (depthwise), luego una convolución 1x1 mezcla los {1} canales en {2} filtros")
    case .netGlobalAvgFrom: return ("the mean of all {0} cells of {1}'s channel {2}: one number per channel",
                                    "la media de las {0} celdas del canal {2} de {1}: un número por canal")
    case .netGlobalMaxFrom: return ("the largest of all {0} cells of {1}'s channel {2}: one number per channel",
                                    "el mayor de las {0} celdas del canal {2} de {1}: un número por canal")
    case .netAddFrom: return ("Add: the same cell and channel of each input, summed: {0} = {1}",
                              "Add: la misma celda y canal de cada entrada, sumados: {0} = {1}")
    case .netEnterAdd: return ("Enter: the sum, input by input", "Enter: la suma, entrada por entrada")
    case .netConcatFrom: return ("Concatenate puts the channels of {0} side by side: channel {1} is {2}'s channel {3}",
                                 "Concatenate pone lado a lado los canales de {0}: el canal {1} es el canal {3} de {2}")
    case .netEnterConcat: return ("Enter: where each channel comes from", "Enter: de dónde viene cada canal")
    case .netBatchNormFrom: return ("(x - mean)/sqrt(var + eps)*gamma + beta = ({0} - {1})/sqrt({2} + {3})*{4} + {5} = {6}, with this channel's moving mean and variance",
                                    "(x - media)/sqrt(var + eps)*gamma + beta = ({0} - {1})/sqrt({2} + {3})*{4} + {5} = {6}, con la media y la varianza móviles de este canal")
    case .netZeroPadInside: return ("zeros added around the map (top, bottom, left, right: {0}); this cell is the input's [{1},{2}]",
                                    "ceros agregados alrededor del mapa (arriba, abajo, izquierda, derecha: {0}); esta celda es la [{1},{2}] de la entrada")
    case .netZeroPadOutside: return ("zeros added around the map (top, bottom, left, right: {0}); this cell is padding: 0",
                                     "ceros agregados alrededor del mapa (arriba, abajo, izquierda, derecha: {0}); esta celda es padding: 0")
    case .netActivationFrom: return ("{0} on each value alone: {0}({1}) = {2}", "{0} sobre cada valor por separado: {0}({1}) = {2}")
    case .neuronOwnKernel: return ("w: channel {0}'s own kernel", "w: el kernel propio del canal {0}")
    case .neuronDepthwiseBias: return ("one channel, nothing summed across channels: {0} + bias {1} = {2}",
                                       "un solo canal, nada sumado entre canales: {0} + bias {1} = {2}")
    case .addIntro: return ("Add sums inputs of one shape ({0}) cell by cell and channel by channel:",
                            "Add suma entradas de una misma forma ({0}) celda a celda y canal a canal:")
    case .addRule: return ("sum: {0} = {1}", "suma: {0} = {1}")
    case .addNote: return ("A residual block adds its input (the shortcut) to what its layers computed: the layers only learn a correction.",
                           "Un bloque residual suma su entrada (el atajo) a lo que calcularon sus capas: las capas solo aprenden una corrección.")
    case .concatIntro: return ("Concatenate stacks the inputs' channels ({0}); rows and columns must match:",
                               "Concatenate apila los canales de las entradas ({0}); filas y columnas deben coincidir:")
    case .concatChannels: return ("channels {0}-{1} ({2})", "canales {0}-{1} ({2})")
    case .concatThis: return ("channel {0} = {1}'s channel {2}: {3}, copied unchanged", "canal {0} = canal {2} de {1}: {3}, copiado sin cambios")
    case .dilationRule: return ("effective kernel (K-1)*D+1 = ({0}-1)*{1}+1 = {2}", "kernel efectivo (K-1)*D+1 = ({0}-1)*{1}+1 = {2}")
    }
  }
}

/// Short name inside the module.
typealias XT = ExplorerText

/// An entry of either catalog (`T` or `ExplorerText`): what a Home lesson's title and blurb are.
public protocol TextEntry: Sendable {
  func text(_ lang: Lang, _ args: [String]) -> String
}

extension T: TextEntry {}
extension ExplorerText: TextEntry {}

extension Env {
  /// An entry of either catalog in the current language, `{0}`, `{1}`... filled with `args`.
  public func t(_ entry: any TextEntry, _ args: CustomStringConvertible...) -> String {
    entry.text(lang, args.map(\.description))
  }
}
