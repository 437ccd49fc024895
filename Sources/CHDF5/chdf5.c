// CHDF5: see include/CHDF5.h for why this file exists.
#include "CHDF5.h"

#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// libhdf5 prints its error stack to stderr unless told not to; convplay says one line itself.
static void quiet(void) {
  static int done = 0;
  if (!done) {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    done = 1;
  }
}

static herr_t first_message(unsigned n, const H5E_error2_t *e, void *data) {
  char *err = (char *)data;
  if (n == 0 && e->desc && e->desc[0]) snprintf(err, CH5_MESSAGE_LENGTH, "%s", e->desc);
  return 0;
}

/// `what` and, when libhdf5 said something, its innermost message.
static int fail(int code, char *err, const char *what) {
  char detail[CH5_MESSAGE_LENGTH] = {0};
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, first_message, detail);
  H5Eclear2(H5E_DEFAULT);
  if (detail[0])
    snprintf(err, CH5_MESSAGE_LENGTH, "%s (%s)", what, detail);
  else
    snprintf(err, CH5_MESSAGE_LENGTH, "%s", what);
  return code;
}

int ch5_is_hdf5(const char *path) {
  static const unsigned char signature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  unsigned char head[8];
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(head, 1, 8, f);
  fclose(f);
  return n == 8 && memcmp(head, signature, 8) == 0;
}

int ch5_open(const char *path, int64_t *file, char *err) {
  quiet();
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) return fail(CH5_FAILED, err, "not a readable HDF5 file");
  *file = (int64_t)f;
  return CH5_OK;
}

void ch5_close(int64_t file) {
  if (file >= 0) H5Fclose((hid_t)file);
}

void ch5_free(void *p) { free(p); }

int ch5_string_attribute(int64_t file, const char *object, const char *name, size_t max_bytes, char **out,
                         size_t *length, size_t *count, char *err) {
  quiet();
  *out = NULL;
  *length = 0;
  *count = 0;
  htri_t exists = H5Aexists_by_name((hid_t)file, object, name, H5P_DEFAULT);
  if (exists <= 0) {
    H5Eclear2(H5E_DEFAULT);
    snprintf(err, CH5_MESSAGE_LENGTH, "no attribute %s", name);
    return CH5_NOT_FOUND;
  }
  hid_t attr = H5Aopen_by_name((hid_t)file, object, name, H5P_DEFAULT, H5P_DEFAULT);
  if (attr < 0) return fail(CH5_FAILED, err, "cannot open the attribute");
  int code = CH5_OK;
  hid_t type = H5Aget_type(attr), space = H5Aget_space(attr), memtype = -1;
  char *buffer = NULL, *result = NULL;
  if (type < 0 || space < 0) {
    code = fail(CH5_FAILED, err, "cannot read the attribute's type");
    goto done;
  }
  if (H5Sget_simple_extent_npoints(space) == 0) goto done;  // an empty list (h5py writes [] as float64)
  if (H5Tget_class(type) != H5T_STRING) {
    code = CH5_UNSUPPORTED;
    snprintf(err, CH5_MESSAGE_LENGTH, "attribute %s is not text", name);
    goto done;
  }
  hssize_t points = H5Sget_simple_extent_npoints(space);
  if (points < 0 || (size_t)points > max_bytes) {
    code = CH5_TOO_LARGE;
    snprintf(err, CH5_MESSAGE_LENGTH, "attribute %s holds too many strings", name);
    goto done;
  }
  size_t n = (size_t)points;
  size_t total = 0;
  if (H5Tis_variable_str(type) > 0) {
    memtype = H5Tcopy(H5T_C_S1);
    H5Tset_size(memtype, H5T_VARIABLE);
    H5Tset_cset(memtype, H5Tget_cset(type));
    char **strings = calloc(n ? n : 1, sizeof(char *));
    if (!strings) {
      code = CH5_FAILED;
      snprintf(err, CH5_MESSAGE_LENGTH, "out of memory");
      goto done;
    }
    if (H5Aread(attr, memtype, strings) < 0) {
      free(strings);
      code = fail(CH5_FAILED, err, "cannot read the attribute");
      goto done;
    }
    for (size_t i = 0; i < n; i++) total += (strings[i] ? strlen(strings[i]) : 0) + 1;
    if (total <= max_bytes) result = malloc(total ? total : 1);
    if (result) {
      size_t at = 0;
      for (size_t i = 0; i < n; i++) {
        size_t len = strings[i] ? strlen(strings[i]) : 0;
        memcpy(result + at, strings[i] ? strings[i] : "", len);
        result[at + len] = 0;
        at += len + 1;
      }
    }
    H5Dvlen_reclaim(memtype, space, H5P_DEFAULT, strings);
    free(strings);
    if (!result) {
      code = CH5_TOO_LARGE;
      snprintf(err, CH5_MESSAGE_LENGTH, "attribute %s is too large", name);
      goto done;
    }
  } else {
    size_t size = H5Tget_size(type);
    if (size == 0 || (n && size > max_bytes / n)) {
      code = CH5_TOO_LARGE;
      snprintf(err, CH5_MESSAGE_LENGTH, "attribute %s is too large", name);
      goto done;
    }
    memtype = H5Tcopy(type);
    buffer = malloc(n * size + 1);
    result = malloc(n * (size + 1) + 1);
    if (!buffer || !result) {
      code = CH5_FAILED;
      snprintf(err, CH5_MESSAGE_LENGTH, "out of memory");
      goto done;
    }
    if (H5Aread(attr, memtype, buffer) < 0) {
      code = fail(CH5_FAILED, err, "cannot read the attribute");
      goto done;
    }
    for (size_t i = 0; i < n; i++) {
      const char *s = buffer + i * size;
      size_t len = strnlen(s, size);
      memcpy(result + total, s, len);
      result[total + len] = 0;
      total += len + 1;
    }
  }
  *out = result;
  result = NULL;
  *length = total;
  *count = n;
done:
  free(buffer);
  free(result);
  if (memtype >= 0) H5Tclose(memtype);
  if (type >= 0) H5Tclose(type);
  if (space >= 0) H5Sclose(space);
  H5Aclose(attr);
  return code;
}

struct names {
  char *data;
  size_t length, capacity, count, max;
  int too_large;
};

static herr_t collect_name(hid_t group, const char *name, const H5L_info_t *info, void *data) {
  (void)group;
  (void)info;
  struct names *s = (struct names *)data;
  size_t len = strlen(name) + 1;
  if (s->length + len > s->max) {
    s->too_large = 1;
    return 1;  // stop
  }
  if (s->length + len > s->capacity) {
    size_t capacity = (s->capacity + len) * 2;
    char *grown = realloc(s->data, capacity);
    if (!grown) return -1;
    s->data = grown;
    s->capacity = capacity;
  }
  memcpy(s->data + s->length, name, len);
  s->length += len;
  s->count += 1;
  return 0;
}

int ch5_children(int64_t file, const char *group, size_t max_bytes, char **out, size_t *length, size_t *count,
                 char *err) {
  quiet();
  *out = NULL;
  *length = 0;
  *count = 0;
  hid_t g = H5Gopen2((hid_t)file, group, H5P_DEFAULT);
  if (g < 0) {
    H5Eclear2(H5E_DEFAULT);
    snprintf(err, CH5_MESSAGE_LENGTH, "no group %s", group);
    return CH5_NOT_FOUND;
  }
  struct names s = {NULL, 0, 0, 0, max_bytes, 0};
  hsize_t at = 0;
  herr_t status = H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &at, collect_name, &s);
  if (status < 0 && s.count == 0) {  // creation order not tracked: name order
    H5Eclear2(H5E_DEFAULT);
    at = 0;
    status = H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, &at, collect_name, &s);
  }
  H5Gclose(g);
  if (s.too_large) {
    free(s.data);
    snprintf(err, CH5_MESSAGE_LENGTH, "group %s has too many members", group);
    return CH5_TOO_LARGE;
  }
  if (status < 0) {
    free(s.data);
    return fail(CH5_FAILED, err, "cannot list the group");
  }
  *out = s.data;
  *length = s.length;
  *count = s.count;
  return CH5_OK;
}

int ch5_kind(int64_t file, const char *path) {
  quiet();
  hid_t o = H5Oopen((hid_t)file, path, H5P_DEFAULT);
  if (o < 0) {
    H5Eclear2(H5E_DEFAULT);
    return 0;
  }
  H5I_type_t t = H5Iget_type(o);
  H5Oclose(o);
  return t == H5I_DATASET ? 1 : t == H5I_GROUP ? 2 : 0;
}

int ch5_dataset_shape(int64_t file, const char *path, int64_t *dims, int *rank, int *is_float, char *err) {
  quiet();
  hid_t d = H5Dopen2((hid_t)file, path, H5P_DEFAULT);
  if (d < 0) {
    H5Eclear2(H5E_DEFAULT);
    snprintf(err, CH5_MESSAGE_LENGTH, "no dataset %s", path);
    return CH5_NOT_FOUND;
  }
  int code = CH5_OK;
  hid_t space = H5Dget_space(d), type = H5Dget_type(d);
  if (space < 0 || type < 0) {
    code = fail(CH5_FAILED, err, "cannot read the dataset's shape");
    goto done;
  }
  int r = H5Sget_simple_extent_ndims(space);
  if (r < 0 || r > CH5_MAX_RANK) {
    code = r < 0 ? fail(CH5_FAILED, err, "cannot read the dataset's rank") : CH5_UNSUPPORTED;
    if (r >= 0) snprintf(err, CH5_MESSAGE_LENGTH, "rank %d (more than %d dimensions)", r, CH5_MAX_RANK);
    goto done;
  }
  hsize_t d64[CH5_MAX_RANK];
  if (r > 0 && H5Sget_simple_extent_dims(space, d64, NULL) < 0) {
    code = fail(CH5_FAILED, err, "cannot read the dataset's dimensions");
    goto done;
  }
  for (int i = 0; i < r; i++) {
    if (d64[i] > (hsize_t)INT64_MAX) {
      code = CH5_TOO_LARGE;
      snprintf(err, CH5_MESSAGE_LENGTH, "dimension too large");
      goto done;
    }
    dims[i] = (int64_t)d64[i];
  }
  *rank = r;
  *is_float = H5Tget_class(type) == H5T_FLOAT;
done:
  if (space >= 0) H5Sclose(space);
  if (type >= 0) H5Tclose(type);
  H5Dclose(d);
  return code;
}

/* Whether dataset `d`'s chunks (if it is chunked) hold more bytes than its `count` values of
   `element` bytes, with 1 MB of slack; an unreadable layout counts as too large. */
static int chunk_too_large(hid_t d, size_t element, size_t count) {
  hid_t plist = H5Dget_create_plist(d);
  if (plist < 0) return 1;
  int too_large = 0;
  if (H5Pget_layout(plist) == H5D_CHUNKED) {
    hsize_t chunk[H5S_MAX_RANK];
    int r = H5Pget_chunk(plist, H5S_MAX_RANK, chunk);
    if (r < 0) {
      too_large = 1;
    } else {
      double bytes = (double)element;
      for (int i = 0; i < r; i++) bytes *= (double)chunk[i];
      double limit = (double)count * (double)element;
      if (limit < 1048576.0) limit = 1048576.0;
      too_large = bytes > limit;
    }
  }
  H5Pclose(plist);
  H5Eclear2(H5E_DEFAULT);
  return too_large;
}

int ch5_read_floats(int64_t file, const char *path, float *out, size_t count, char *err) {
  quiet();
  hid_t d = H5Dopen2((hid_t)file, path, H5P_DEFAULT);
  if (d < 0) {
    H5Eclear2(H5E_DEFAULT);
    snprintf(err, CH5_MESSAGE_LENGTH, "no dataset %s", path);
    return CH5_NOT_FOUND;
  }
  int code = CH5_OK;
  hid_t space = H5Dget_space(d), type = H5Dget_type(d);
  if (space < 0 || type < 0) {
    code = fail(CH5_FAILED, err, "cannot read the dataset");
    goto done;
  }
  if (H5Tget_class(type) != H5T_FLOAT) {
    code = CH5_UNSUPPORTED;
    snprintf(err, CH5_MESSAGE_LENGTH, "not a float dataset");
    goto done;
  }
  hssize_t points = H5Sget_simple_extent_npoints(space);
  if (points < 0 || (size_t)points != count) {
    code = CH5_FAILED;
    snprintf(err, CH5_MESSAGE_LENGTH, "the dataset's size changed");
    goto done;
  }
  /* libhdf5 allocates conversion and chunk buffers from the file's own numbers: a damaged
     file that claims a 4 GB float or a 4 GB chunk for a few values would have it calloc them.
     A float is 2, 4 or 8 bytes; a chunk holds no more than the dataset's bytes (or 1 MB). */
  size_t element = H5Tget_size(type);
  if (element != 2 && element != 4 && element != 8) {
    code = CH5_UNSUPPORTED;
    snprintf(err, CH5_MESSAGE_LENGTH, "a float of %zu bytes", element);
    goto done;
  }
  if (chunk_too_large(d, element, count)) {
    code = CH5_TOO_LARGE;
    snprintf(err, CH5_MESSAGE_LENGTH, "its storage chunks are larger than the dataset (damaged file?)");
    goto done;
  }
  if (count > 0 && H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) < 0) {
    code = fail(CH5_FAILED, err, "cannot read the dataset (corrupt or truncated file?)");
  }
done:
  if (space >= 0) H5Sclose(space);
  if (type >= 0) H5Tclose(type);
  H5Dclose(d);
  return code;
}
