// libFuzzer's entry for programs with their own main (compiler-rt's FuzzerInterface.h); the
// symbol comes from the runtime that -sanitize=fuzzer links.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
