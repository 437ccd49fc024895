extension DefaultModel { static let safetensorsBase64 = "" }
