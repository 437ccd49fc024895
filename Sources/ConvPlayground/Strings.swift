@_exported import ConvLocale

public typealias Tr = T

/// Every string the playground's screens show, in English and Spanish: a keyed catalog
/// (ConvLocale's `Catalog`: adding a message is a case name and one line in `pair`), checked by
/// the compiler (the switch is exhaustive) and by a test (placeholders match in both languages).
/// `{0}`, `{1}`... are filled by `Env.t`. The Spanish follows the course's own words: Entrada,
/// Kernel, Salida, Parámetros; Keras's names (padding, stride, filters) stay as Keras writes them.
public enum T: String, Catalog {
  case homeTitle, homeIntro, lessonsHeading, pressEnter
  case onCommandLine, languageLine, helpHome, tooSmall, helpTitle, keysHeading, closeHelp
  case helpScroll
  case lessonConv, lessonConvBlurb, lessonPadding, lessonPaddingBlurb, lessonPooling
  case lessonPoolingBlurb, lessonRGB, lessonRGBBlurb, lessonImage, lessonImageBlurb
  case lessonTraining, lessonTrainingBlurb, lessonQuiz, lessonQuizBlurb, lessonSummary
  case lessonSummaryBlurb
  // Model summary screen.
  case sumLayerOf, sumOutputSize, sumParams, sumFedBy, sumInputCount, sumFeeds, sumTrainable, sumFrozen, sumNoWeights, sumKeepsShape
  case sumTrainableLabel, sumNonTrainableCount
  case sumModelInput, sumFilters, sumUnits, sumPickerTitle, sumPickerHint, sumMapsTitle
  case sumInputPicture, sumNoMaps, sumMapsHint, sumValuesTitle, sumTopClasses, sumDrawnSeven, sumSamplePicture
  case sumVolumesTitle, sumProblem, sumGray, keySumLayer, keySumPage, keySumFreeze, keySumModel
  case keySumMaps, helpSummary1, helpSummary2, helpSummary3
  case keyNext, keyPrev, keyFirstLast, keyPlay, keyPause, keySpeed, keyKernel, keyEdit, keyRandom, keyFlip
  case keyInputSize, keyKernelSize, keyInputCols, keyKernelCols, keyPadding, keyStride
  case keyStrideCols, keyDilation, keyHelp, keyQuit, keyBack, keyChoose, keyOpen, keyOpenNumber
  case keyLanguage, keyMoveCell, keyType, keyStore, keyDoneEditing, keyPoolMode, keyPoolSize
  case keyFilters, keyBias
  case stepOf, playingAt, stepHeader, poolStepHeader, rgbStepHeader
  case productsTitle, inputTitle, kernelTitle, outputTitle, windowTitle, paddedTo, flippedTag
  case inputWord, kernelWord, outputWord, rowsWord, colsWord, onWord, custom, parameters, settings
  case crossCorrelation, trueConvolution, outputSize, paddingSides, floorWhy, sameAsymmetric
  case timesOne, timesMany, lastOne, lastMany
  case kernelTooLarge, notANumber, notExact, inputLimits, kernelLimits, poolLimits, filterLimits
  case editingCell, inputKernelTargets, channelTargets
  case poolSettings, noParameters, courseShrink
  case quizSettings, quizScore, quizQuestion, quizAnswerLabel, quizTypeFirst, quizMixed, quizShowOn
  case quizOneChannel, quizPoolChannels, quizMore, quizListingHidden, quizSeed, keyQuizSubmit, keyQuizErase, keyQuizTopic
  case keyQuizLevel, keyQuizNext, keyQuizShow, keyQuizScroll, keyBackToQuiz, helpQuiz1, helpQuiz2
  case homeSuggest, homeSuggestNew
  case rgbInputLabel, rgbFilterLabel, rgbFilterShort, rgbOutputLabel
  case helpConv1, helpConv2, helpPadding1, helpPadding2, helpPooling1, helpPooling2
  case helpRGB1, helpRGB2
  case presetIdentity, presetSharpen, presetEdge, presetLaplacian4, presetEdgeHorizontal
  case presetEdgeVertical, presetRobertsDiagonal, presetRobertsAntidiagonal, presetSobelX
  case presetSobelY, presetPrewittX, presetPrewittY, presetBoxBlur, presetGaussian3
  case presetGaussian5, presetEmboss
  // Image lab.
  case labOriginal, labGray, labChannels, labFilter, labGrayAverage, labGrayLuminance, labFiltered
  case labZoom, labSample, labValues, labPatch, labGrayValue, labFilterAt, labPatchHint, labSaved
  case labSaveFailed, labOpenFailed, labTooLarge, labPickerTitle, labNoFiles, labNormClip, labNormAbs
  case labNormMinmax, labNormOffset, keyLabView, keyLabNormalize, keyLabCursor, keyLabZoom
  case keyLabPatch, keyLabSave, keyLabOpen, helpLab1, helpLab2, helpLab3
  case labKeyUp, labKeyTypePath, labKeyCancelPath, labKeyPage, labPathLabel, labNoSuchPath
  case labFilteredShort, labErrorCorrupt, labErrorUnsupported, labErrorTooLarge, labErrorIO, labErrorMemory
  // Image lab: Grad-CAM.
  case labGradCAM, labModelPickerTitle, labBuiltInModel, labNoModels, labCamNothingYet, labCamFailed, labCamOver
  case labCamComputing, labCamComputingClass, labCamModel, labCamClass, labCamProbability, labCamLayer, labCamTop
  case labCamLow, labCamHigh, keyLabCAM, keyLabCAMBack, keyLabClass, keyLabClassInCAM, keyLabModel, helpLab4, helpLabCAM, labCamZero
  // Training dashboard and draw-a-digit.
  case trModel, trDataset, trEpochs, trBatch, trOptimizer, trLearningRate, trImages, trAll, trSummaryTitle
  case trLayerHeader, trOutputShape, trParamHeader, trTotalParams, trDataFound, trDataMissing, trOfferFetch
  case trFetching, trFetched, trPressStart, trTypeSpec, trSpecExample, trEpochBar, trBatchBar, trEta
  case trRate, trLoading, trRunning, trPaused, trFinished, trStopped, trFailed, trSplitCounts, trTestAccuracy
  case trViewCurves, trViewConfusion, trViewErrors, trViewFilters, trLoss, trAccuracy, trLegend, trAfterEpoch
  case trConfusionTitle, trErrorsTitle, trNoErrors, trFiltersTitle, trNoFilters, trMapsTitle, trNoMaps
  case trSaved, trKeyStart, trKeyPause, trKeyStop, trKeyView, trKeyDigit, trKeySetting, trKeyChange
  case trKeyTypeSpec, trKeyFetch, trKeySave, helpTraining1, helpTraining2, digitTitle, digitPrompt
  // Training dashboard: colour data sets, folders, fine-tuning.
  case trBase, trFreezeEpochs, trFinetuneEpochs, trTrainableHeader, trNonTrainable, trFolderMissing
  case trAugment, trAugmentNone, trAugmentDigits, trAugmentPhotos, trAugmentCustom, trAugmentLine, trAugmentHead
  case trFinetuneHead, trBuiltInModel, trPhaseWaiting, trPhaseFrozen, trPhaseAll, trViewLayers
  case trKeyFilterMode, trFiltersColor, trFiltersChannels, trFrozenTag, helpTraining3, trMapsTitleImage, trPhaseCounts, trFrozenMark
  case digitPosition, digitPen, digitOn, digitOff, digitTop, digitEmpty, digitKeyMove, digitKeyPaint
  case digitKeyPen, digitKeyErase, digitKeyClear, helpDigit1
  // Training dashboard: leaving a run, the spec field, after a run, axes and scales.
  case trKeyConfirmLeave, trKeyKeepTraining, trConfirmLeave, trKeyCancelSpec, trKeyDeleteChar
  case trKeyResume, trKeyEdit, keyQuizClear, trHelpSpecChars, trHelpSpecEnter, trHelpSpecEsc, trHelpSpecErase, trHelpPause, trHelpStop, trHelpConfirm, trHelpSave, trHelpEdit, trHelpView, trHelpDigit, trHelpColor, trKeyAsksLeave, sumDenseShape, sumGlobalPoolShape, sumSetsShape, trEpochAxis, trConfusionLegend, trConfusionErrors, trMapsShown
  // finetune --base (a pretrained ImageNet base) and Grad-CAM (--explain).
  case ftNoWeights, ftHeader, ftWeightsFrom, ftRandomWeights, ftAugmentNoCache, ftStep1, ftStep2Top, ftStep2All, ftStepLine, ftCounts
  case ftExtracting, ftExtracted, ftStepResult, ftStep3
  case exHeader, exSavedPNG, exSavedNPY, exLegend
  // Training dashboard: a pretrained base (the Base, Weights and Unfreeze rows, the phases).
  case trNoBase, trWeights, trUnfreeze, trRandomWeights, trKerasCache, trFromFile, trLastLayers, trOfferRandom
  case trRandomNote, trKeyRandomWeights, trHelpRandom, trPhaseTest, trLegendPhase2, trPhaseJoint

  // swift-format-ignore
  public var pair: (en: String, es: String) {
    switch self {
    case .homeTitle: return ("Home", "Inicio")
    case .homeIntro: return ("How a convolutional network sees an image, one number at a time.",
                             "Cómo ve una imagen una red convolucional, número a número.")
    case .lessonsHeading: return ("Lessons", "Lecciones")
    case .pressEnter: return ("Press Enter to open.", "Presionar Enter para abrir.")
    case .onCommandLine: return ("The same on the command line:", "Lo mismo en la línea de comandos:")
    case .languageLine: return ("Language: {0}   (l: {1})", "Idioma: {0}   (l: {1})")
    case .helpHome: return ("Choose a lesson with the arrows (or its number) and press Enter. In every lesson the bottom lines list its keys; ? explains the screen, q or Esc comes back here.",
                            "Elegir una lección con las flechas (o con su número) y presionar Enter. En cada lección, las líneas de abajo muestran sus teclas; ? explica la pantalla, y q o Esc vuelve aquí.")
    case .tooSmall: return ("convplay needs a terminal of at least {0}x{1} (this one is {2}x{3}). Enlarge the window, or press q to quit.",
                            "convplay necesita una terminal de al menos {0}x{1} (esta mide {2}x{3}). Agrandar la ventana o presionar q para salir.")
    case .helpTitle: return ("Help: {0}", "Ayuda: {0}")
    case .keysHeading: return ("Keys", "Teclas")
    case .closeHelp: return ("Press any key to close this help.", "Presionar cualquier tecla para cerrar la ayuda.")
    case .helpScroll: return ("lines {0}-{1} of {2} · ↑↓ PgUp PgDn scroll · other keys close",
                              "líneas {0}-{1} de {2} · ↑↓ RePág AvPág: desplazar · otra tecla: cerrar")

    case .lessonConv: return ("Convolution, cell by cell", "Convolución, celda a celda")
    case .lessonConvBlurb: return ("The kernel slides over the input; each output cell is the sum of the products under the window. Starts on the course's 5x5 example with the sharpen kernel: the first cell is 266.",
                                   "El kernel se desliza sobre la entrada; cada celda de la salida es la suma de los productos bajo la ventana. La lección empieza con el ejemplo 5x5 del curso y el kernel de realce: la primera celda es 266.")
    case .lessonPadding: return ("Padding and stride", "Padding y stride")
    case .lessonPaddingBlurb: return ("A ring of zeros (valid, same, N), the stride and the dilation, and the output size formula (N + 2P - K)/S + 1 with the numbers filled in.",
                                      "Un anillo de ceros (valid, same, N), el stride y la dilatación, y la fórmula del tamaño de salida (N + 2P - K)/S + 1 con los números.")
    case .lessonPooling: return ("Pooling", "Pooling")
    case .lessonPoolingBlurb: return ("Max and average pooling: the winning cell of each window, why pooling has no parameters, and how much it shrinks the next layer.",
                                      "Max y average pooling: la celda ganadora de cada ventana, por qué el pooling no tiene parámetros y cuánto reduce la capa siguiente.")
    case .lessonRGB: return ("RGB convolution", "Convolución RGB")
    case .lessonRGBBlurb: return ("Three colour channels, a filter with one kernel per channel, the partial sums plus the bias, several filters giving an output of depth F, and the parameter count.",
                                  "Tres canales de color, un filtro con un kernel por canal, las sumas parciales más el bias, varios filtros que dan una salida de profundidad F, y el número de parámetros.")
    case .lessonImage: return ("Image lab", "Laboratorio de imágenes")
    case .lessonImageBlurb: return ("Apply kernels to real photos and see the feature maps.",
                                    "Aplicar kernels a fotos reales y ver los mapas de características.")
    case .lessonTraining: return ("Training", "Entrenamiento")
    case .lessonTrainingBlurb: return ("Train the course's models on MNIST and watch loss and accuracy live.",
                                       "Entrenar los modelos del curso con MNIST y seguir en vivo la pérdida (loss) y la exactitud (accuracy).")
    case .lessonQuiz: return ("Quiz", "Cuestionario")
    case .lessonQuizBlurb: return ("Output sizes and parameter counts to work out, checked at once.",
                                   "Tamaños de salida y números de parámetros para calcular, corregidos al momento.")
    case .lessonSummary: return ("Model summary", "Resumen del modelo")
    case .lessonSummaryBlurb: return ("A model layer by layer, as Keras's model.summary() prints it: walk the table with the arrows and see each layer's shapes, output-size formula and parameter count; freeze layers and watch the trainable totals; with a trained model, the feature maps of a picture.",
                                      "Un modelo capa a capa, como lo imprime model.summary() de Keras: recorrer la tabla con las flechas y ver las formas de cada capa, la fórmula del tamaño de salida y el número de parámetros; congelar capas y seguir los totales entrenables; con un modelo entrenado, ver los mapas de características de una imagen.")
    case .sumLayerOf: return ("layer {0}/{1}", "capa {0}/{1}")
    case .sumOutputSize: return ("output size", "tamaño de salida")
    case .sumParams: return ("parameters", "parámetros")
    case .sumFedBy: return ("fed by", "recibe de")
    case .sumInputCount: return ("{0} inputs", "{0} entradas")
    case .sumFeeds: return ("feeds", "alimenta a")
    case .sumTrainable: return ("yes (t freezes it)", "sí (t la congela)")
    case .sumFrozen: return ("no, frozen: trainable=False (t unfreezes it)", "no, congelada: trainable=False (t la descongela)")
    case .sumNoWeights: return ("no weights to train", "sin pesos que entrenar")
    case .sumTrainableLabel: return ("trainable", "entrenable")
    case .sumNonTrainableCount: return ("{0} non-trainable", "{0} no entrenables")
    case .sumKeepsShape: return ("keeps its input's shape", "mantiene la forma de su entrada")
    case .sumDenseShape: return ("{0}: one value per unit ({1} units)", "{0}: un valor por unidad ({1} unidades)")
    case .sumGlobalPoolShape: return ("{0}: one average per channel", "{0}: un promedio por canal")
    case .sumSetsShape: return ("{0}", "{0}")
    case .sumModelInput: return ("the model's input", "la entrada del modelo")
    case .sumFilters: return ("{0} filters", "{0} filtros")
    case .sumUnits: return ("{0} units", "{0} unidades")
    case .sumPickerTitle: return ("Choose a model", "Elegir un modelo")
    case .sumPickerHint: return ("↑↓ choose   Enter open   Esc cancel", "↑↓ elegir   Enter abrir   Esc cancelar")
    case .sumMapsTitle: return ("Feature maps: {0} of {1} channels, {2}", "Mapas de características: {0} de {1} canales, {2}")
    case .sumInputPicture: return ("Input: {0}", "Entrada: {0}")
    case .sumNoMaps: return ("Feature maps need a model with weights: m opens the built-in digits model, or open a saved model: convplay tui --screen summary --model FILE --image PHOTO",
                             "Los mapas de características necesitan un modelo con pesos: m abre el modelo de dígitos incluido; también se puede abrir un modelo guardado: convplay tui --screen summary --model ARCHIVO --image FOTO")
    case .sumMapsHint: return ("v: feature maps of this layer", "v: mapas de características de esta capa")
    case .sumValuesTitle: return ("{0} values, largest:", "{0} valores, los mayores:")
    case .sumTopClasses: return ("top classes:", "clases más probables:")
    case .sumDrawnSeven: return ("a 7 drawn by convplay (--image PATH: your own)", "un 7 dibujado por convplay (--image RUTA: uno propio)")
    case .sumSamplePicture: return ("the image lab's sample picture (--image PATH: your own)", "la imagen de ejemplo del laboratorio (--image RUTA: una propia)")
    case .sumVolumesTitle: return ("Values per layer (log scale):", "Valores por capa (escala log.):")
    case .sumProblem: return ("Note: {0}", "Nota: {0}")
    case .sumGray: return ("gray", "gris")
    case .keySumLayer: return ("layer", "capa")
    case .keySumPage: return ("10 layers", "10 capas")
    case .keySumFreeze: return ("freeze/unfreeze", "congelar/descongelar")
    case .keySumModel: return ("model", "modelo")
    case .keySumMaps: return ("feature maps", "mapas")
    case .helpSummary1: return ("Keras's model.summary() table (Trainable is its show_trainable column). The arrows walk it; for the current layer: the shapes in and out, the output size (N + 2P - K)/S + 1 with its numbers, and the parameter count with its formula: 64*3*3*3 + 64 = 1,792 is filters * kernel rows * columns * input channels + one bias per filter.",
                                 "La tabla de model.summary() de Keras (Trainable es su columna show_trainable). Las flechas la recorren; para la capa actual: las formas de entrada y salida, el tamaño de salida (N + 2P - K)/S + 1 con sus números y el número de parámetros con su fórmula: 64*3*3*3 + 64 = 1.792 es filtros * filas * columnas del kernel * canales de entrada + un bias por filtro.")
    case .helpSummary2: return ("t freezes or unfreezes the layer (layer.trainable = False, as in fine-tuning) and the totals follow; BatchNormalization's moving statistics never train. 'fed by' names the layers an Add or Concatenate joins.",
                                 "t congela o descongela la capa (layer.trainable = False, como en el ajuste fino) y los totales lo siguen; las estadísticas móviles de BatchNormalization nunca se entrenan. 'recibe de' nombra las capas que une un Add o un Concatenate.")
    case .helpSummary3: return ("m chooses another model. A model with weights (digits, or a file saved by train, finetune or import) shows the feature maps a picture makes in each layer: v.",
                                 "m elige otro modelo. Un modelo con pesos (digits, o un archivo guardado por train, finetune o import) muestra los mapas de características que una imagen produce en cada capa: v.")
    case .keyNext: return ("next", "siguiente")
    case .keyPrev: return ("previous", "anterior")
    case .keyFirstLast: return ("first/last", "primero/último")
    case .keyPlay: return ("play", "reproducir")
    case .keyPause: return ("pause", "pausa")
    case .keySpeed: return ("speed", "velocidad")
    case .keyKernel: return ("kernel", "kernel")
    case .keyEdit: return ("edit", "editar")
    case .keyRandom: return ("random", "aleatorio")
    case .keyFlip: return ("flip", "voltear")
    case .keyInputSize: return ("input size", "tamaño entrada")
    case .keyKernelSize: return ("kernel size", "tamaño kernel")
    case .keyInputCols: return ("input columns", "columnas entrada")
    case .keyKernelCols: return ("kernel columns", "columnas kernel")
    case .keyPadding: return ("padding", "padding")
    case .keyStride: return ("stride", "stride")
    case .keyStrideCols: return ("column stride", "stride columnas")
    case .keyDilation: return ("dilation", "dilatación")
    case .keyHelp: return ("help", "ayuda")
    case .keyQuit: return ("quit", "salir")
    case .keyBack: return ("back", "volver")
    case .keyChoose: return ("choose", "elegir")
    case .keyOpen: return ("open", "abrir")
    case .keyOpenNumber: return ("open by number", "abrir por número")
    case .keyLanguage: return ("español", "english")
    case .keyMoveCell: return ("move", "mover")
    case .keyType: return ("type a number", "escribir un número")
    case .keyStore: return ("store", "guardar")
    case .keyDoneEditing: return ("stop editing", "terminar")
    case .keyPoolMode: return ("max/avg", "max/avg")
    case .keyPoolSize: return ("pool size", "tamaño pool")
    case .keyFilters: return ("filters", "filtros")
    case .keyBias: return ("bias +/-", "bias +/-")

    case .stepOf: return ("step {0}/{1}", "paso {0}/{1}")
    case .playingAt: return ("playing {0}/s", "reproduciendo {0}/s")
    case .stepHeader: return ("Step {0}/{1}: output[{2},{3}] = {4}   window rows {5}, columns {6}",
                              "Paso {0}/{1}: Salida[{2},{3}] = {4}   ventana filas {5}, columnas {6}")
    case .poolStepHeader: return ("Step {0}/{1}: output[{2},{3}] = {4}", "Paso {0}/{1}: Salida[{2},{3}] = {4}")
    case .rgbStepHeader: return ("Step {0}/{1}: filter {2}, output[{3},{4}] = {5}",
                                 "Paso {0}/{1}: filtro {2}, Salida[{3},{4}] = {5}")
    case .productsTitle: return ("Products", "Productos")
    case .inputTitle: return ("Input {0}", "Entrada {0}")
    case .kernelTitle: return ("Kernel {0}", "Kernel {0}")
    case .outputTitle: return ("Output {0}", "Salida {0}")
    case .windowTitle: return ("Window {0}", "Ventana {0}")
    case .paddedTo: return ("-> {0}", "-> {0}")
    case .flippedTag: return ("(flipped)", "(volteado)")
    case .inputWord: return ("Input", "Entrada")
    case .kernelWord: return ("Kernel", "Kernel")
    case .outputWord: return ("Output", "Salida")
    case .rowsWord: return ("rows", "filas")
    case .colsWord: return ("columns", "columnas")
    case .onWord: return ("on", "sobre")
    case .custom: return ("custom", "propio")
    case .parameters: return ("Parameters", "Parámetros")
    case .settings: return ("Settings", "Ajustes")
    case .crossCorrelation: return ("cross-correlation, as Keras (f: flip)",
                                    "correlación cruzada, como Keras (f: voltear)")
    case .trueConvolution: return ("true convolution: kernel turned 180°",
                                   "convolución verdadera: kernel girado 180°")
    case .outputSize: return ("Output size", "Tamaño de salida")
    case .paddingSides: return ("{0} above, {1} below, {2} left, {3} right",
                                "{0} arriba, {1} abajo, {2} a la izquierda, {3} a la derecha")
    case .floorWhy: return ("{0}: ({1} - {2}) is not a multiple of the stride {3}, so the window fits {4} and {5}: Keras rounds down.",
                            "{0}: ({1} - {2}) no es múltiplo del stride {3}, así que la ventana cabe {4} y {5}: Keras redondea hacia abajo.")
    case .timesOne: return ("once", "1 vez")
    case .timesMany: return ("{0} times", "{0} veces")
    case .lastOne: return ("the last one is left out", "la última queda fuera")
    case .lastMany: return ("the last {0} are left out", "las últimas {0} quedan fuera")
    case .sameAsymmetric: return ("{0}: 'same' pads {1} in total, an odd number: Keras puts {2} before and {3} after (the extra zero goes bottom/right).",
                                  "{0}: 'same' rellena {1} en total, un número impar: Keras pone {2} antes y {3} después (el cero de más va abajo/a la derecha).")
    case .kernelTooLarge: return ("{0}: the kernel spans {1} but the padded input has only {2}: make the kernel smaller (<) or the input larger (]).",
                                  "{0}: el kernel abarca {1} pero la entrada con padding solo tiene {2}: reducir el kernel (<) o agrandar la entrada (]).")
    case .notExact: return ("{0} would become {1}: the photo kernel is Float32 (whole numbers exact up to 16777216). The convolution lessons and 'convplay step' keep whole numbers up to 9007199254740992.",
                            "{0} pasaría a ser {1}: el kernel de las fotos es Float32 (enteros exactos hasta 16777216). Las lecciones de convolución y 'convplay step' conservan enteros hasta 9007199254740992.")
    case .notANumber: return ("That is not a number: type digits, '-' or '.'.",
                              "Eso no es un número: escribir dígitos, '-' o '.'.")
    case .inputLimits: return ("The input has 3 to 12 rows and columns.", "La entrada tiene de 3 a 12 filas y columnas.")
    case .kernelLimits: return ("The kernel has 1 to 5 rows and columns.", "El kernel tiene de 1 a 5 filas y columnas.")
    case .poolLimits: return ("The pool size goes from 1 to 5.", "El tamaño del pool va de 1 a 5.")
    case .filterLimits: return ("From 1 to 4 filters here.", "Aquí, de 1 a 4 filtros.")
    case .editingCell: return ("Editing {0} [{1},{2}]: type a number, Enter stores it.",
                               "Editando {0} [{1},{2}]: escribir un número; Enter lo guarda.")
    case .inputKernelTargets: return ("input/kernel", "entrada/kernel")
    case .channelTargets: return ("channel", "canal")
    case .poolSettings: return ("pooling {0} {1}, stride {2}, padding {3}",
                                "pooling {0} {1}, stride {2}, padding {3}")
    case .noParameters: return ("Pooling has no parameters: nothing to learn, it only keeps the largest (max) or the mean (avg) of each window.",
                                "El pooling no tiene parámetros: no aprende nada, solo se queda con el mayor (max) o la media (avg) de cada ventana.")
    case .courseShrink: return ("In the course's model {0}, MaxPooling2D turns {1} = {2} values into {3} = {4} ({5} % fewer): the Dense(15) after it needs {6} -> {7} parameters.",
                                "En el modelo {0} del curso, MaxPooling2D convierte {1} = {2} valores en {3} = {4} ({5} % menos): la Dense(15) que sigue pasa de {6} a {7} parámetros.")
    case .quizSettings: return ("Topic: {0}   Level: {1}", "Tema: {0}   Nivel: {1}")
    case .quizScore: return ("Score {0}/{1}   Streak {2} (best {3})", "Aciertos {0}/{1}   Racha {2} (mejor {3})")
    case .quizQuestion: return ("Question {0} · {1} · level {2}", "Pregunta {0} · {1} · nivel {2}")
    case .quizAnswerLabel: return ("Your answer:", "Respuesta:")
    case .quizTypeFirst: return ("Type an answer first (such as 26x26x64 or 640), then press Enter.",
                                 "Escribir primero una respuesta (como 26x26x64 o 640) y presionar Enter.")
    case .quizMixed: return ("mixed", "mezcla")
    case .quizShowOn: return ("g: see these numbers on the \"{0}\" screen", "g: ver estos números en la pantalla \"{0}\"")
    case .quizOneChannel: return ("Quiz: input {0}, {1} filters: one channel and one filter shown.",
                                  "Cuestionario: entrada {0}, {1} filtros: se ve un canal y un filtro.")
    case .quizPoolChannels: return ("Quiz: input {0}: one channel shown (pooling treats each alike).",
                                    "Cuestionario: entrada {0}: se ve un canal (todos se tratan igual).")
    case .quizMore: return ("({0} more lines: PgDn)", "({0} líneas más: AvPág)")
    case .quizListingHidden: return ("(layers hidden to make room; a taller window shows them)",
                                     "(capas ocultas para dejar lugar; una ventana más alta las muestra)")
    case .quizSeed: return ("seed {0}", "semilla {0}")
    case .keyQuizSubmit: return ("answer", "responder")
    case .keyQuizErase: return ("erase", "borrar")
    case .keyQuizTopic: return ("topic", "tema")
    case .keyQuizLevel: return ("level", "nivel")
    case .keyQuizNext: return ("next question", "siguiente pregunta")
    case .keyQuizShow: return ("show it", "verlo")
    case .keyQuizScroll: return ("scroll", "desplazar")
    case .keyBackToQuiz: return ("back to the quiz", "volver al cuestionario")
    case .helpQuiz1: return ("Work out the answer and type it: a shape as 26x26x64, 26, 26, 64 or (None, 26, 26, 64); a count as 640 or 649,775. Enter checks it against the engine and explains it with the formula and the numbers filled in.",
                             "Calcular la respuesta y escribirla: una forma como 26x26x64, 26, 26, 64 o (None, 26, 26, 64); un número como 640 o 649,775. Enter la comprueba con el motor y la explica con la fórmula y los números.")
    case .helpQuiz2: return ("Tab chooses the topic, the arrows the level (1 to 3). After answering, g opens the screen that shows the question with its numbers loaded (q comes back), Enter asks the next one. Progress per topic is saved after each answer; Home suggests the weakest topic.",
                             "Tab elige el tema, las flechas el nivel (1 a 3). Tras responder, g abre la pantalla que muestra la pregunta con sus números (q vuelve), Enter pasa a la siguiente. El progreso por tema se guarda tras cada respuesta; Inicio sugiere el tema más flojo.")
    case .homeSuggest: return ("Quiz: practise {0} next ({1} of {2} right so far).",
                               "Cuestionario: practicar {0} ahora ({1} de {2} aciertos hasta ahora).")
    case .homeSuggestNew: return ("Quiz: start with {0}; your progress per topic is kept.",
                                  "Cuestionario: empezar por {0}; el progreso por tema se guarda.")
    case .rgbInputLabel: return ("Input {0}: channels R, G, B", "Entrada {0}: canales R, G, B")
    case .rgbFilterLabel: return ("Filter {0}/{1}, bias {2}: one kernel per channel",
                                  "Filtro {0}/{1}, bias {2}: un kernel por canal")
    case .rgbFilterShort: return ("Filter {0}/{1}, bias {2}", "Filtro {0}/{1}, bias {2}")
    case .rgbOutputLabel: return ("Output {0}: one channel per filter (depth = {1} filters)",
                                  "Salida {0}: un canal por filtro (profundidad = {1} filtros)")
    case .helpConv1: return ("The kernel window (highlighted) slides over the input. Each step multiplies every input cell under the window by the kernel weight above it and adds the products: that sum is one output cell, written as the course writes it.",
                             "La ventana del kernel (resaltada) se desliza sobre la entrada. En cada paso se multiplica cada celda bajo la ventana por el peso del kernel y se suman los productos: esa suma es una celda de la salida, escrita como en el curso.")
    case .helpConv2: return ("Keras computes cross-correlation; f turns the kernel 180° (true convolution). e edits any cell of the input or kernel; [ ] and { } resize the input, < > and ( ) the kernel.",
                             "Keras calcula la correlación cruzada; f gira el kernel 180° (convolución verdadera). e edita cualquier celda de la entrada o del kernel; [ ] y { } cambian el tamaño de la entrada, < > y ( ) el del kernel.")
    case .helpPadding1: return ("Padding adds a ring of zeros (in its own colour) so the window can centre on border cells: 'same' keeps the size at stride 1. The stride moves the window more than one cell at a time; dilation spreads the kernel taps apart.",
                                "El padding añade un anillo de ceros (en su propio color) para que la ventana pueda centrarse en los bordes: 'same' mantiene el tamaño con stride 1. El stride mueve la ventana más de una celda; la dilatación separa los pesos del kernel.")
    case .helpPadding2: return ("Output size per axis: (N + 2P - K)/S + 1, rounded down when it does not divide. With 'same' and stride 2 the zeros can be odd: Keras puts the extra one bottom/right.",
                                "Tamaño de salida por eje: (N + 2P - K)/S + 1, redondeado hacia abajo si no es exacto. Con 'same' y stride 2 los ceros pueden ser impares: Keras pone el de más abajo/a la derecha.")
    case .helpPooling1: return ("Pooling slides a window like a convolution but has no kernel: max keeps the largest value (the winning cell is marked), avg the mean. Keras's default stride is the pool size.",
                                "El pooling desliza una ventana como la convolución pero no tiene kernel: max se queda con el mayor valor (la celda ganadora se marca), avg con la media. El stride por defecto en Keras es el tamaño del pool.")
    case .helpPooling2: return ("Nothing is learned in a pooling layer (0 parameters), but it divides the number of values by four with 2x2 windows, and with them the weights of the Dense layer that follows.",
                                "Una capa de pooling no aprende nada (0 parámetros), pero con ventanas 2x2 divide por cuatro el número de valores y, con ellos, los pesos de la capa Dense siguiente.")
    case .helpRGB1: return ("A colour image has three channels. A filter has one kernel per channel: each kernel gives a partial sum over its channel, and the three partial sums plus the bias make one output cell.",
                            "Una imagen en color tiene tres canales. Un filtro tiene un kernel por canal: cada kernel da una suma parcial sobre su canal, y las tres sumas parciales más el bias forman una celda de la salida.")
    case .helpRGB2: return ("Each filter makes one output channel, so F filters give an output of depth F. Parameters: Nf*K*K*Nc weights plus Nf biases.",
                            "Cada filtro produce un canal de salida, así que F filtros dan una salida de profundidad F. Parámetros: Nf*K*K*Nc pesos más Nf bias.")
    case .presetIdentity: return ("leaves the image as it is", "deja la imagen como está")
    case .presetSharpen: return ("the course's worked example: boosts a pixel against its four neighbours",
                                 "el ejemplo resuelto del curso: realza un píxel frente a sus cuatro vecinos")
    case .presetEdge: return ("edges in every direction (8-neighbour Laplacian)",
                              "bordes en todas las direcciones (laplaciano de 8 vecinos)")
    case .presetLaplacian4: return ("edges in every direction (4-neighbour Laplacian)",
                                    "bordes en todas las direcciones (laplaciano de 4 vecinos)")
    case .presetEdgeHorizontal: return ("horizontal edges: bright above, dark below",
                                        "bordes horizontales: claro arriba, oscuro abajo")
    case .presetEdgeVertical: return ("vertical edges: bright left, dark right",
                                      "bordes verticales: claro a la izquierda, oscuro a la derecha")
    case .presetRobertsDiagonal: return ("diagonal edges (Roberts cross, the course's first 2x2)",
                                         "bordes diagonales (cruz de Roberts, el primer 2x2 del curso)")
    case .presetRobertsAntidiagonal: return ("anti-diagonal edges (Roberts cross, the course's second 2x2)",
                                             "bordes antidiagonales (cruz de Roberts, el segundo 2x2 del curso)")
    case .presetSobelX: return ("horizontal gradient: vertical edges, smoothed (Sobel)",
                                "gradiente horizontal: bordes verticales, suavizados (Sobel)")
    case .presetSobelY: return ("vertical gradient: horizontal edges, smoothed (Sobel)",
                                "gradiente vertical: bordes horizontales, suavizados (Sobel)")
    case .presetPrewittX: return ("horizontal gradient: vertical edges (Prewitt)",
                                  "gradiente horizontal: bordes verticales (Prewitt)")
    case .presetPrewittY: return ("vertical gradient: horizontal edges (Prewitt)",
                                  "gradiente vertical: bordes horizontales (Prewitt)")
    case .presetBoxBlur: return ("mean of the 3x3 neighbourhood", "media del vecindario 3x3")
    case .presetGaussian3: return ("gentle blur weighted towards the centre",
                                   "desenfoque suave con más peso en el centro")
    case .presetGaussian5: return ("stronger Gaussian blur (binomial 1 4 6 4 1)",
                                   "desenfoque gaussiano más fuerte (binomial 1 4 6 4 1)")
    case .presetEmboss: return ("relief lit from the top left", "relieve iluminado desde arriba a la izquierda")

    case .labOriginal: return ("Original", "Original")
    case .labGray: return ("gray", "gris")
    case .labChannels: return ("R, G, B", "R, G, B")
    case .labFilter: return ("filter", "filtro")
    case .labGrayAverage: return ("Gray (R+G+B)/3", "Gris (R+G+B)/3")
    case .labGrayLuminance: return ("Gray 0.3R+0.59G+0.11B", "Gris 0.3R+0.59G+0.11B")
    case .labFiltered: return ("Filtered: {0}, {1}", "Filtrada: {0}, {1}")
    case .labZoom: return ("zoom {0}x", "zoom {0}x")
    case .labSample: return ("built-in sample picture", "imagen de ejemplo incorporada")
    case .labValues: return ("result {0} ... {1}", "resultado {0} ... {1}")
    case .labPatch: return ("Pixel [{0},{1}] gray", "Píxel [{0},{1}] gris")
    case .labGrayValue: return ("gray {0}", "gris {0}")
    case .labFilterAt: return ("filter {0} -> pixel {1}", "filtro {0} -> píxel {1}")
    case .labPatchHint: return ("c: step the kernel over this patch", "c: pasar el kernel por este trozo")
    case .labSaved: return ("Saved {0} ({1})", "Guardado {0} ({1})")
    case .labSaveFailed: return ("Cannot save: {0}", "No se puede guardar: {0}")
    case .labOpenFailed: return ("Cannot open {0}", "No se puede abrir {0}")
    case .labTooLarge: return ("{0} is {1}x{2} pixels, over the lab's {3} megapixels: make it smaller first.",
                               "{0} tiene {1}x{2} píxeles, más que los {3} megapíxeles del laboratorio: reducirla antes.")
    case .labPickerTitle: return ("Open an image from {0}", "Abrir una imagen de {0}")
    case .labNoFiles: return ("No PNG or JPEG files in this folder.", "No hay archivos PNG ni JPEG en esta carpeta.")
    case .labNormClip: return ("(clamp to 0-255)", "(recorta a 0-255)")
    case .labNormAbs: return ("(|x|: negative edges show bright too)", "(|x|: los bordes negativos también se ven claros)")
    case .labNormMinmax: return ("(own min-max onto 0-255)", "(su mín-máx a 0-255)")
    case .labNormOffset: return ("(128 + x: zero is mid-gray, negatives dark)", "(128 + x: el cero es gris medio, los negativos oscuros)")
    case .keyLabView: return ("view", "vista")
    case .keyLabNormalize: return ("normalize", "normalizar")
    case .keyLabCursor: return ("cursor", "cursor")
    case .keyLabZoom: return ("zoom/fit", "zoom/ajustar")
    case .keyLabPatch: return ("patch in conv", "trozo en conv")
    case .keyLabSave: return ("save PNG", "guardar PNG")
    case .keyLabOpen: return ("open file", "abrir archivo")
    case .labKeyUp: return ("parent folder", "carpeta superior")
    case .labKeyTypePath: return ("type a path", "escribir una ruta")
    case .labKeyCancelPath: return ("back to the list", "volver a la lista")
    case .labKeyPage: return ("10 entries", "10 entradas")
    case .labFilteredShort: return ("Filtered: {0}", "Filtrada: {0}")
    case .labErrorCorrupt: return ("not a readable image", "no es una imagen PNG o JPEG legible")
    case .labErrorUnsupported: return ("unsupported image", "tipo de imagen no admitido")
    case .labErrorTooLarge: return ("{0}x{1} pixels, over {2}", "{0}x{1} píxeles, más de {2}")
    case .labErrorIO: return ("cannot read or write the file", "no se puede leer o escribir el archivo (¿existe?, ¿hay permiso?)")
    case .labErrorMemory: return ("out of memory", "no hay memoria suficiente")
    case .labGradCAM: return ("Grad-CAM", "Grad-CAM")
    case .labModelPickerTitle: return ("Choose a model from {0}", "Elegir un modelo de {0}")
    case .labBuiltInModel: return ("built-in digits model", "modelo de dígitos incorporado")
    case .labNoModels: return ("No model files in this folder.", "No hay archivos de modelo en esta carpeta.")
    case .labCamNothingYet: return ("No heat map yet: wait for it to be computed.", "Todavía no hay mapa de calor: esperar a que se calcule.")
    case .labCamFailed: return ("Grad-CAM: {0}", "Grad-CAM: {0}")
    case .labCamOver: return ("Heat map of '{0}'", "Mapa de calor de '{0}'")
    case .labCamComputing: return ("computing...", "calculando...")
    case .labCamComputingClass: return ("computing the next class...", "calculando la otra clase...")
    case .labCamModel: return ("Model: {0}", "Modelo: {0}")
    case .labCamClass: return ("Class: {0} ({1} of {2})", "Clase: {0} ({1} de {2})")
    case .labCamProbability: return ("Probability: {0}", "Probabilidad: {0}")
    case .labCamLayer: return ("Layer: {0} (map {1}x{2})", "Capa: {0} (mapa de {1}x{2})")
    case .labCamTop: return ("Most probable classes", "Clases más probables")
    case .labCamZero: return ("The map is zero everywhere: no place of this layer raised the class's score.",
                              "El mapa es cero en todas partes: ningún lugar de esta capa aumentó el puntaje de la clase.")
    case .labCamLow: return ("low", "bajo")
    case .labCamHigh: return ("high", "alto")
    case .keyLabCAM: return ("Grad-CAM", "Grad-CAM")
    case .keyLabCAMBack: return ("back to the picture", "volver a la imagen")
    case .keyLabClass: return ("previous/next class", "clase anterior/siguiente")
    case .keyLabClassInCAM: return ("Grad-CAM: previous/next class", "Grad-CAM: clase anterior/siguiente")
    case .keyLabModel: return ("choose the model", "elegir el modelo")
    case .helpLab4: return ("g shows where a classifier looked (Grad-CAM); m chooses the classifier.",
                            "g muestra dónde miró un clasificador (Grad-CAM); m elige el clasificador.")
    case .helpLabCAM: return ("Grad-CAM answers \"why did it say tiger?\": the heat map of the classifier's last convolutional layer (ReLU of its feature maps weighted by the mean gradient of the class's score), blended over what the network saw: red where the class's score came from, blue where nothing did. [ and ] explain the other classes, by probability. The classifier is the built-in digits model (the photo prepared as 'convplay predict' prepares a digit) or, with m, a model file saved by train, finetune or import, or Keras's or PyTorch's (prepared as 'convplay classify' prepares a photo). s saves the picture as 'classify --explain-out' does.",
                              "Grad-CAM responde \"¿por qué dijo tigre?\": el mapa de calor de la última capa convolucional del clasificador (ReLU de sus mapas de características ponderados por el gradiente medio del puntaje de la clase), superpuesto a lo que vio la red: rojo donde se originó el puntaje de la clase, azul donde no. [ y ] explican las otras clases, por probabilidad. El clasificador es el modelo de dígitos incorporado (la foto preparada como 'convplay predict' prepara un dígito) o, con m, un archivo de modelo guardado por train, finetune o import, o de Keras o PyTorch (preparada como 'convplay classify' prepara una foto). s guarda la imagen como lo hace 'classify --explain-out'.")
    case .labPathLabel: return ("Path:", "Ruta:")
    case .labNoSuchPath: return ("{0}: no such file or folder", "{0}: no existe ese archivo ni esa carpeta")
    case .helpLab1: return ("A picture is a matrix of numbers per channel (0 black ... 255 white). Views: 1 original; 2 gray by the mean (R+G+B)/3 and by the eye's weights 0.3R+0.59G+0.11B; 3 the R, G and B channels drawn with the Reds, Greens and Blues colour maps; 4 a kernel slid over the gray picture (padding 'same'), beside the original.",
                            "Una imagen es una matriz de números por canal (0 negro ... 255 blanco). Vistas: 1 original; 2 gris por la media (R+G+B)/3 y por los pesos del ojo 0.3R+0.59G+0.11B; 3 los canales R, G y B con los mapas de color Reds, Greens y Blues; 4 un kernel deslizado sobre la imagen gris (padding 'same'), junto al original.")
    case .helpLab2: return ("A filter gives any real numbers, negative ones too; n chooses how they become pixels: clip, abs (edges of both signs bright), minmax (the result's own range) or offset (128 + x, zero is mid-gray). k cycles the presets, e edits the kernel's weights.",
                            "Un filtro da números reales cualesquiera, también negativos; n elige cómo se convierten en píxeles: clip, abs (bordes de ambos signos claros), minmax (el rango del propio resultado) u offset (128 + x, el cero es gris medio). k recorre los kernels, e edita sus pesos.")
    case .helpLab3: return ("The arrows move the inspector's cursor: the panel shows the gray values of the 5x5 patch around pixel [row, col] (numbered as the course numbers a matrix's cells), as the course's 'pixel value' slide, and c opens that patch in the convolution screen. + and - zoom, 0 fits; s saves what is shown as lab-<view>.png in the current folder; o opens another PNG or JPEG: Enter opens a file or a folder, ← goes up, / types a path.",
                            "Las flechas mueven el cursor del inspector: el panel muestra los valores de gris del trozo 5x5 alrededor del píxel [fila, columna] (numerado como el curso numera las celdas de una matriz), como la diapositiva del curso sobre el valor de un píxel, y c abre ese trozo en la pantalla de convolución. + y - hacen zoom, 0 ajusta; s guarda lo que se ve como lab-<vista>.png en la carpeta actual; o abre otro PNG o JPEG: Enter abre un archivo o una carpeta, ← sube, / permite escribir una ruta.")
    case .trModel: return ("Model",
                         "Modelo")
    case .trDataset: return ("Data set",
                           "Conjunto de datos")
    case .trEpochs: return ("Epochs",
                          "Épocas")
    case .trBatch: return ("Batch",
                         "Lote (batch)")
    case .trOptimizer: return ("Optimizer",
                             "Optimizador")
    case .trLearningRate: return ("Learning rate",
                                "Tasa de aprendizaje")
    case .trImages: return ("Images",
                          "Imágenes")
    case .trAll: return ("all",
                       "todas")
    case .trSummaryTitle: return ("Summary: {0}",
                                "Resumen: {0}")
    case .trLayerHeader: return ("Layer (type)",
                               "Capa (tipo)")
    case .trOutputShape: return ("Output shape",
                               "Forma de salida")
    case .trParamHeader: return ("Param #",
                               "Param #")
    case .trTotalParams: return ("Total params: {0} (trainable: {1})",
                               "Parámetros: {0} (entrenables: {1})")
    case .trDataFound: return ("{0}: found on this computer.",
                             "{0}: encontrado en esta computadora.")
    case .trDataMissing: return ("The {0} data set is not on this computer. Get it with:",
                               "El conjunto {0} no está en esta computadora. Para descargarlo:")
    case .trOfferFetch: return ("Press f to download it now.",
                              "Presionar f para descargarlo ahora.")
    case .trFetching: return ("Downloading {0}: file {1} of {2}",
                            "Descargando {0}: archivo {1} de {2}")
    case .trFetched: return ("Downloaded and checked: ready to train.",
                           "Descargado y comprobado: listo para entrenar.")
    case .trPressStart: return ("Enter starts training; ↑↓ choose a setting, ←→ change it.",
                              "Enter empieza el entrenamiento; ↑↓ eligen un ajuste, ←→ lo cambian.")
    case .trTypeSpec: return ("Type a model spec (Enter: use it, Esc: cancel):",
                            "Escribir una especificación de modelo (Enter: usarla, Esc: cancelar):")
    case .trSpecExample: return ("for example: conv2d(16,3,relu) -> maxpool(2) -> flatten -> dense(10,softmax)",
                               "por ejemplo: conv2d(16,3,relu) -> maxpool(2) -> flatten -> dense(10,softmax)")
    case .trEpochBar: return ("Epoch {0}/{1}",
                            "Época {0}/{1}")
    case .trBatchBar: return ("Batch {0}/{1}",
                            "Lote {0}/{1}")
    case .trEta: return ("ETA {0}",
                       "quedan {0}")
    case .trRate: return ("{0} images/s",
                        "{0} imágenes/s")
    case .trLoading: return ("Loading {0}...",
                           "Cargando {0}...")
    case .trRunning: return ("training",
                           "entrenando")
    case .trPaused: return ("paused (p resumes)",
                          "en pausa (p continúa)")
    case .trFinished: return ("finished",
                            "terminado")
    case .trStopped: return ("stopped",
                           "detenido")
    case .trFailed: return ("Error: {0}",
                          "Error: {0}")
    case .trSplitCounts: return ("{0} train / {1} val / {2} test",
                               "{0} entren. / {1} valid. / {2} prueba")
    case .trTestAccuracy: return ("test accuracy",
                                "accuracy en prueba")
    case .trViewCurves: return ("Curves",
                              "Curvas")
    case .trViewConfusion: return ("Confusion",
                                 "Confusión")
    case .trViewErrors: return ("Errors",
                              "Errores")
    case .trViewFilters: return ("Filters",
                               "Filtros")
    case .trLoss: return ("Loss",
                        "Pérdida (loss)")
    case .trAccuracy: return ("Accuracy",
                            "Accuracy")
    case .trLegend: return ("{0} train   {1} validation   {2} test",
                          "{0} entrenamiento   {1} validación   {2} prueba")
    case .trAfterEpoch: return ("Shown after the first epoch.",
                              "Se muestra tras la primera época.")
    case .trConfusionTitle: return ("Test set confusion matrix (rows: true, cols: predicted)",
                                  "Matriz de confusión en prueba (filas: real, col.: predicha)")
    case .trErrorsTitle: return ("Misclassified (true → predicted)",
                               "Mal clasificados (real → predicho)")
    case .trNoErrors: return ("No test image was misclassified.",
                            "Ninguna imagen de prueba mal clasificada.")
    case .trFiltersTitle: return ("First-layer filters: {0} of {1}, {2}",
                                "Filtros de la primera capa: {0} de {1}, {2}")
    case .trNoFilters: return ("The first layer has no weights to show.",
                             "La primera capa no tiene pesos que mostrar.")
    case .trMapsTitle: return ("Feature maps of a {0} (predicted {1})",
                             "Mapas de características de un {0} (predicho {1})")
    case .trNoMaps: return ("No convolution first: no feature maps (try cnn or convnet).",
                          "Sin convolución al principio: no hay mapas de características (probar cnn o convnet).")
    case .trSaved: return ("Saved {0}: convplay predict IMAGE --weights {0}",
                         "Guardado {0}: convplay predict IMAGEN --weights {0}")
    case .trKeyStart: return ("start",
                            "empezar")
    case .trKeyPause: return ("pause",
                            "pausa")
    case .trKeyStop: return ("stop",
                           "detener")
    case .trKeyView: return ("view",
                           "vista")
    case .trKeyDigit: return ("digit",
                            "dígito")
    case .trKeySetting: return ("setting",
                              "ajuste")
    case .trKeyChange: return ("change",
                             "cambiar")
    case .trKeyTypeSpec: return ("type a spec",
                               "escribir modelo")
    case .trKeyFetch: return ("download data",
                            "descargar datos")
    case .trKeySave: return ("save",
                           "guardar")
    case .trBase: return ("Base model",
                        "Modelo base")
    case .trFreezeEpochs: return ("Frozen epochs",
                                "Épocas con base congelada")
    case .trFinetuneEpochs: return ("Joint epochs",
                                  "Épocas conjuntas")
    case .trTrainableHeader: return ("Trainable",
                                   "Entrenable")
    case .trNonTrainable: return ("non-trainable: {0}",
                                "no entrenables: {0}")
    case .trFolderMissing: return ("{0} is not a readable folder with one subfolder per class.",
                                 "{0} no es una carpeta legible con una subcarpeta por clase.")
    case .trAugment: return ("Augmentation",
                           "Aumento de datos")
    case .trAugmentNone: return ("none",
                               "ninguno")
    case .trAugmentDigits: return ("digits",
                                 "dígitos")
    case .trAugmentPhotos: return ("photos",
                                 "fotos")
    case .trAugmentCustom: return ("--augment",
                                 "--augment")
    case .trAugmentLine: return ("Augmentation, new in every epoch: {0}",
                               "Aumento de datos, nuevo en cada época: {0}")
    case .trAugmentHead: return ("augment {0}",
                               "aumento {0}")
    case .trFinetuneHead: return ("fine-tuning {0}",
                                "ajuste fino de {0}")
    case .trBuiltInModel: return ("built-in model", "modelo interno")
    case .trPhaseWaiting: return ("Phase 1 (base frozen) starts once the data is loaded.",
                                "La fase 1 (base congelada) empieza al cargar los datos.")
    case .trPhaseFrozen: return ("Phase {0}/2: base frozen ({1} of {2} layers)",
                               "Fase {0}/2: base congelada ({1} de {2} capas)")
    case .trPhaseAll: return ("Phase {0}/2: all layers train",
                            "Fase {0}/2: entrenan todas las capas")
    case .trPhaseCounts: return ("trainable {0} · non-trainable {1}",
                               "entrenables {0} · no entrenables {1}")
    case .trNoBase: return ("none", "ninguna")
    case .trWeights: return ("Weights", "Pesos")
    case .trUnfreeze: return ("Unfreeze", "Descongelar")
    case .trRandomWeights: return ("random", "aleatorios")
    case .trKerasCache: return ("Keras cache", "caché de Keras")
    case .trFromFile: return ("the file's", "los del archivo")
    case .trLastLayers: return ("last {0}", "últimas {0}")
    case .trOfferRandom:
      return ("Press r to continue with random weights (as finetune --random-weights): the steps run offline, the numbers mean nothing.",
              "Presionar r para seguir con pesos aleatorios (como finetune --random-weights): los pasos se ejecutan sin conexión, los números no significan nada.")
    case .trRandomNote:
      return ("Random weights (Glorot uniform, seed {0}): the steps run, the numbers mean nothing.",
              "Pesos aleatorios (Glorot uniforme, semilla {0}): los pasos se ejecutan, los números no significan nada.")
    case .trKeyRandomWeights: return ("random weights", "pesos aleatorios")
    case .trHelpRandom: return ("random weights (base without its weights)", "pesos aleatorios (base sin sus pesos)")
    case .trPhaseTest: return ("test accuracy {0}", "accuracy de prueba {0}")
    case .trLegendPhase2: return ("{0} phase 2 starts", "{0} empieza la fase 2")
    case .trPhaseJoint: return ("Phase {0}/2: joint training, {1} of {2} layers frozen",
                              "Fase {0}/2: entrenamiento conjunto, {1} de {2} capas congeladas")
    case .trViewLayers: return ("Layers",
                              "Capas")
    case .trKeyFilterMode: return ("colour/channels",
                                 "color/canales")
    case .trFiltersColor: return ("as colour (gray = 0)",
                                "en color (gris = 0)")
    case .trFiltersChannels: return ("R G B channels apart",
                                   "canales R G B por separado")
    case .trMapsTitleImage: return ("Feature maps of this {0} (predicted {1})",
                                  "Mapas de características de este {0} (predicho {1})")
    case .trFrozenMark: return ("(* frozen)",
                              "(* congelada)")
    case .trFrozenTag: return ("frozen",
                             "congelados")
    case .helpTraining3: return ("Colour images (CIFAR-10, a folder) have 3 channels, so each first-layer filter has 3 kernels: c shows them as one colour picture or the R, G, B kernels apart. Fine-tuning (the Base row: digits, or a pretrained convolutional base such as mobilenet, as convplay finetune --base) puts a new head on the base: phase 1 trains only the head (the base's layers are frozen: non-trainable; on a pretrained base each image goes through it once), phase 2 unfreezes the base (or its last N layers, the Unfreeze row) and trains jointly at a tenth of the rate. Each phase shows Keras's trainable / non-trainable counts; a dotted line on the curves marks where phase 2 starts; view 5 shows which layers train. Without ImageNet weights on the computer, r runs the same steps on random weights.",
                                 "Las imágenes en color (CIFAR-10, una carpeta) tienen 3 canales, así que cada filtro de la primera capa tiene 3 kernels: c los muestra como una imagen en color o los kernels R, G, B por separado. El ajuste fino (la fila Modelo base: digits o una base convolucional preentrenada como mobilenet, como convplay finetune --base) pone un nuevo clasificador sobre la base: la fase 1 entrena solo el clasificador (las capas de la base están congeladas: no entrenables; con una base preentrenada cada imagen pasa por ella una sola vez), la fase 2 descongela la base (o sus últimas N capas, la fila Descongelar) y entrena todo junto con una décima parte de la tasa. Cada fase muestra los parámetros entrenables / no entrenables de Keras; una línea punteada en las curvas marca dónde empieza la fase 2; la vista 5 muestra qué capas entrenan. Sin los pesos de ImageNet en la computadora, r ejecuta los mismos pasos con pesos aleatorios.")
    case .helpTraining1: return ("Train a network as Keras's model.fit does: the images go through the network in batches; after each batch the optimizer nudges the weights to lower the loss. After each epoch (one pass over the training images) the held-out validation images and the test set measure how well it generalizes.",
                               "Entrenar una red como model.fit de Keras: las imágenes pasan por la red en lotes; tras cada lote el optimizador ajusta los pesos para bajar la pérdida. Tras cada época (una pasada por las imágenes de entrenamiento) las imágenes de validación y el conjunto de prueba miden cuánto generaliza.")
    case .helpTraining2: return ("Views: 1 curves of loss and accuracy, 2 the confusion matrix (which digits are taken for which), 3 misclassified test digits, 4 the first layer's filters and the feature maps they make of one digit. Training runs in the background: keys keep working.",
                               "Vistas: 1 curvas de pérdida y accuracy, 2 la matriz de confusión (qué dígitos se confunden con cuáles), 3 dígitos de prueba mal clasificados, 4 los filtros de la primera capa y los mapas de características que producen para un dígito. El entrenamiento corre en segundo plano: las teclas siguen respondiendo.")
    case .digitTitle: return ("Draw a digit",
                            "Dibujar un dígito")
    case .digitPrompt: return ("Draw a digit with the keys: arrows move, Space paints, d puts the pen down (moving paints), e erases, c clears.",
                             "Dibujar un dígito con las teclas: las flechas mueven, Espacio pinta, d baja el lápiz (al moverse pinta), e borra, c limpia.")
    case .digitPosition: return ("pixel [{0},{1}]",
                               "píxel [{0},{1}]")
    case .digitPen: return ("pen: {0} ({1})",
                          "lápiz: {0} ({1})")
    case .digitOn: return ("down",
                         "abajo")
    case .digitOff: return ("up",
                          "arriba")
    case .digitTop: return ("Built-in model, top 3:",
                          "Modelo incluido, 3 mejores:")
    case .digitEmpty: return ("Draw something: the prediction updates as you draw.",
                            "Dibujar algo: la predicción se actualiza con cada trazo.")
    case .digitKeyMove: return ("move",
                              "mover")
    case .digitKeyPaint: return ("paint",
                               "pintar")
    case .digitKeyPen: return ("pen",
                             "lápiz")
    case .digitKeyErase: return ("erase",
                               "borrar")
    case .digitKeyClear: return ("clear",
                               "limpiar")
    case .helpDigit1: return ("The drawing is prepared as MNIST was made (and as convplay predict prepares a photo): cropped to the digit, scaled to fit 20x20, centred by mass in 28x28. Then the built-in network (Keras's mnist_convnet) gives a probability for each digit.",
                            "El dibujo se prepara como se hizo MNIST (y como convplay predict prepara una foto): recortado al dígito, escalado a 20x20 y centrado por masa en 28x28. Después la red incluida (mnist_convnet de Keras) da una probabilidad a cada dígito.")
    case .trKeyConfirmLeave: return ("stop and leave", "detener y salir")
    case .trKeyKeepTraining: return ("keep training", "seguir entrenando")
    case .trConfirmLeave: return ("Leaving stops this run and discards it. Leave? y: yes, any other key: no",
                                  "Salir detiene este entrenamiento y lo descarta. ¿Salir? y: sí, otra tecla: no")
    case .trKeyCancelSpec: return ("cancel", "cancelar")
    case .trKeyDeleteChar: return ("delete", "borrar")
    case .trKeyResume: return ("resume", "continuar")
    case .keyQuizClear: return ("clear", "borrar todo")
    case .trKeyEdit: return ("settings (new run)", "ajustes (nuevo entrenamiento)")
    case .trHelpSpecChars: return ("spec field (t): the spec's text, every key", "campo del modelo (t): el texto, todas las teclas")
    case .trHelpSpecEnter: return ("spec field: use the typed spec", "campo del modelo: usar el modelo escrito")
    case .trHelpSpecEsc: return ("spec field: cancel", "campo del modelo: cancelar")
    case .trHelpSpecErase: return ("spec field: delete a character", "campo del modelo: borrar un carácter")
    case .trHelpPause: return ("during a run: pause / resume", "durante el entrenamiento: pausa / continuar")
    case .trHelpStop: return ("during a run: stop (the results stay)", "durante el entrenamiento: detener (los resultados quedan)")
    case .trHelpConfirm: return ("after q during a run: stop it and leave", "tras q durante el entrenamiento: detenerlo y salir")
    case .trKeyAsksLeave: return ("leave (asks)", "salir (pregunta)")
    case .trHelpSave: return ("after a run: save the trained model", "tras el entrenamiento: guardar el modelo entrenado")
    case .trHelpEdit: return ("after a run: back to the settings", "tras el entrenamiento: volver a los ajustes")
    case .trHelpView: return ("dashboard: curves, confusion, errors, filters, layers", "panel: curvas, confusión, errores, filtros, capas")
    case .trHelpDigit: return ("filters view: the example whose maps are shown", "vista de filtros: el ejemplo cuyos mapas se ven")
    case .trHelpColor: return ("filters view, colour images: colour or R G B apart", "vista de filtros, imágenes en color: color o R G B aparte")
    case .trEpochAxis: return ("epoch", "época")
    case .trConfusionLegend: return ("Right, % of row:", "Aciertos, % fila:")
    case .trConfusionErrors: return ("Errors, count:", "Errores, cantidad:")
    case .trMapsShown: return ("{0} of {1} maps", "{0} de {1} mapas")
    case .ftNoWeights: return ("no weights for {0} on this computer: put {1} in {2} (online: {3}), or give --weights FILE",
                               "no hay pesos de {0} en esta computadora: copiar {1} en {2} (con conexión: {3}) o indicar --weights ARCHIVO")
    case .ftHeader: return ("{0} without its top on {1}: {2} training, {3} validation, {4} test images, {5} classes; input {6}, preprocess_input '{7}'",
                            "{0} sin su clasificador sobre {1}: {2} imágenes de entrenamiento, {3} de validación, {4} de prueba, {5} clases; entrada {6}, preprocess_input '{7}'")
    case .ftWeightsFrom: return ("weights: {0}", "pesos: {0}")
    case .ftRandomWeights: return ("weights: random (Glorot uniform, seed {0}): the steps run, the numbers mean nothing",
      "pesos: aleatorios (Glorot uniforme, semilla {0}): los pasos se ejecutan, los números no significan nada")
    case .ftAugmentNoCache: return ("--augment: the base's features are not cached (each epoch transforms the images, so step 1 runs the base on every batch)",
                                    "--augment: las características de la base no se guardan (cada época transforma las imágenes, así que el paso 1 pasa cada lote por la base)")
    case .ftStep1: return ("base frozen ({0} layers), only the new head trains", "base congelada ({0} capas), solo entrena el nuevo clasificador")
    case .ftStep2Top: return ("the last {0} of the base's {1} layers unfrozen, trained with the head", "las últimas {0} de las {1} capas de la base descongeladas, entrenadas con el clasificador")
    case .ftStep2All: return ("the whole base unfrozen ({0} layers), trained with the head", "toda la base descongelada ({0} capas), entrenada con el clasificador")
    case .ftStepLine: return ("step {0}: {1}; adam lr {2}, {3} epoch(s)", "paso {0}: {1}; adam lr {2}, {3} época(s)")
    case .ftCounts: return ("  trainable params: {0} - non-trainable params: {1} - total: {2}",
                            "  parámetros entrenables: {0} - no entrenables: {1} - total: {2}")
    case .ftExtracting: return ("feature extraction: {0}/{1} images through the base", "extracción de características: {0}/{1} imágenes por la base")
    case .ftExtracted: return ("feature extraction: {0} images through the frozen base once, {1}s ({2} images/s); step 1's epochs train the head on these features",
                               "extracción de características: {0} imágenes por la base congelada una sola vez, {1} s ({2} imágenes/s); las épocas del paso 1 entrenan el clasificador sobre estas características")
    case .ftStepResult: return ("step {0}: test accuracy {1} - test loss {2}", "paso {0}: accuracy de prueba {1} - loss de prueba {2}")
    case .ftStep3: return ("step 3 (evaluate): test accuracy {0} - test loss {1} on {2} images",
                           "paso 3 (evaluar): accuracy de prueba {0} - loss de prueba {1} en {2} imágenes")
    case .exHeader: return ("Grad-CAM for '{0}' ({1}) at layer {2} ({3}x{4}): where the network looked",
                            "Grad-CAM de '{0}' ({1}) en la capa {2} ({3}x{4}): dónde miró la red")
    case .exSavedPNG: return ("saved the heat map over the image: {0}", "mapa de calor sobre la imagen guardado: {0}")
    case .exSavedNPY: return ("saved the raw map ({0}x{1}, float32): {2}", "mapa sin procesar guardado ({0}x{1}, float32): {2}")
    case .exLegend: return ("dark: not used · bright: what made the class's score (ReLU of the channel-weighted sum, weights = mean gradient)",
                            "oscuro: no se usó · claro: lo que dio el puntaje de la clase (ReLU de la suma ponderada por canal, pesos = gradiente medio)")
    }
  }
}

/// The catalog entry describing a kernel preset, by the preset's name.
public func presetSummary(_ name: String) -> T {
  switch name {
  case "identity": return .presetIdentity
  case "sharpen": return .presetSharpen
  case "edge": return .presetEdge
  case "laplacian4": return .presetLaplacian4
  case "edge-horizontal": return .presetEdgeHorizontal
  case "edge-vertical": return .presetEdgeVertical
  case "roberts-diagonal": return .presetRobertsDiagonal
  case "roberts-antidiagonal": return .presetRobertsAntidiagonal
  case "sobel-x": return .presetSobelX
  case "sobel-y": return .presetSobelY
  case "prewitt-x": return .presetPrewittX
  case "prewitt-y": return .presetPrewittY
  case "box-blur": return .presetBoxBlur
  case "gaussian-3x3": return .presetGaussian3
  case "gaussian-5x5": return .presetGaussian5
  case "emboss": return .presetEmboss
  default: return .custom
  }
}
