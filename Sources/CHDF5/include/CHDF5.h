// CHDF5: whole-call reads of an HDF5 file (Keras's .h5 weights) around libhdf5.
//
// Why this C target exists: libhdf5 reports errors through a global error stack that it prints
// to stderr by default, and its identifiers (hid_t) must be closed on every path. Each function
// here opens what it needs, closes it on every path and returns a code plus one line of text,
// so Swift sees plain calls that either succeed or say why not. Printing is turned off once
// (H5Eset_auto2). Sizes come from an untrusted file: ranks and element counts are checked
// against the caller's limits before anything is allocated.
#ifndef CHDF5_H
#define CHDF5_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes.
enum {
  CH5_OK = 0,
  CH5_FAILED = 1,       // libhdf5 refused (corrupt file, missing object...); see the message
  CH5_NOT_FOUND = 2,    // the object or attribute does not exist
  CH5_TOO_LARGE = 3,    // over the caller's limit
  CH5_UNSUPPORTED = 4,  // a valid file holding something convplay does not read
};

/// Longest message written into `err` (including the terminating zero).
#define CH5_MESSAGE_LENGTH 256
/// Highest rank a dataset may have.
#define CH5_MAX_RANK 8

/// Opens `path` read-only. On success `*file` is an identifier for the other calls.
int ch5_open(const char *path, int64_t *file, char *err);
void ch5_close(int64_t file);

/// Whether the file starts with HDF5's signature (at offset 0; user blocks are not read).
int ch5_is_hdf5(const char *path);

/// The string or string-array attribute `name` of the object at `object` ("/" for the root):
/// fixed-length or variable-length strings, written one after another into a malloc'd buffer
/// `*out` (free it with ch5_free), each ended by a zero byte; `*count` strings, `*length`
/// bytes. Fails with CH5_TOO_LARGE past `max_bytes` bytes in all.
int ch5_string_attribute(int64_t file, const char *object, const char *name, size_t max_bytes, char **out,
                         size_t *length, size_t *count, char *err);

/// The names of the children of group `group`, in creation (or name) order, each ended by a
/// zero byte, in a malloc'd buffer (ch5_free). Fails past `max_bytes`.
int ch5_children(int64_t file, const char *group, size_t max_bytes, char **out, size_t *length, size_t *count,
                 char *err);

/// Whether `path` names a dataset (1), a group (2), or neither/missing (0).
int ch5_kind(int64_t file, const char *path);

/// The shape of dataset `path`: `*rank` dims (at most CH5_MAX_RANK) into `dims`, and whether
/// its type is a float (1) or another type (0) in `*is_float`.
int ch5_dataset_shape(int64_t file, const char *path, int64_t *dims, int *rank, int *is_float, char *err);

/// Reads dataset `path` (a float of any width: float16, float32, float64) as float32 into
/// `out`, which holds `count` floats: `count` must equal the dataset's element count.
int ch5_read_floats(int64_t file, const char *path, float *out, size_t count, char *err);

void ch5_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
