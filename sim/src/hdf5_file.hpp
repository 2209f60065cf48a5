// The HDF5 files desist writes (run, comparison and sweep results): one
// writer over HDF5's C API and a reader for files written by it. Internal to
// desist_io.
//
// Reproducibility: object time tracking is off on the file (root group), every
// group and every dataset; nothing else in an HDF5 file records a time. Sizes
// of chunks depend only on the data, and compression (shuffle + gzip 4) only on
// the bytes compressed. All file types are little-endian whatever the host.
//
// Atomicity: files are built in memory (HDF5's core driver) and their bytes
// written with write_file_atomically (atomic_file.hpp). HDF5 never writes to
// disk itself, so a full disk is an error of ours, with errno, and never leaves
// HDF5 holding a half-closed file.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "desist/error.hpp"

namespace desist::hdf5 {


// Rows of a chunk of the per-person columns.
constexpr hsize_t people_chunk_rows = 16384;
constexpr unsigned gzip_level = 4;
// Growth step of the in-memory file.
constexpr std::size_t core_increment = 4 << 20;

// ---------------------------------------------------------------------------
// Handles and errors

// An HDF5 identifier closed when it goes out of scope.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)), closer_(o.closer_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, H5I_INVALID_HID);
      closer_ = o.closer_;
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  // Closes now and reports whether closing succeeded.
  bool close() {
    if (id_ < 0) return true;
    const herr_t status = closer_(id_);
    id_ = H5I_INVALID_HID;
    return status >= 0;
  }

 private:
  void reset() {
    if (id_ >= 0) closer_(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Silences HDF5's printing of its error stack while the writer runs (errors
// become exceptions instead), restoring the caller's setting afterwards.
class QuietErrors {
 public:
  QuietErrors() {
    if (H5Eget_auto2(H5E_DEFAULT, &func_, &data_) >= 0) {
      saved_ = true;
      H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
  }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;
  ~QuietErrors() {
    if (saved_) H5Eset_auto2(H5E_DEFAULT, func_, data_);
  }

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
  bool saved_ = false;
};

inline herr_t keep_innermost(unsigned, const H5E_error2_t* e, void* data) {
  if (e->desc != nullptr && e->desc[0] != '\0') *static_cast<std::string*>(data) = e->desc;
  return 0;
}

// The most specific message on HDF5's error stack, which is then cleared.
inline std::string hdf5_detail() {
  std::string detail;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

// ---------------------------------------------------------------------------
// Types: native in memory, little-endian in the file.

template <class T>
struct Types;
template <>
struct Types<double> {
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct Types<float> {
  static hid_t mem() { return H5T_NATIVE_FLOAT; }
  static hid_t file() { return H5T_IEEE_F32LE; }
};
template <>
struct Types<std::uint8_t> {
  static hid_t mem() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};
template <>
struct Types<std::uint16_t> {
  static hid_t mem() { return H5T_NATIVE_UINT16; }
  static hid_t file() { return H5T_STD_U16LE; }
};
template <>
struct Types<std::uint64_t> {
  static hid_t mem() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
};
template <>
struct Types<std::int32_t> {
  static hid_t mem() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};

// ---------------------------------------------------------------------------
// The writer: one open file, and helpers that throw on any HDF5 failure.

class Writer {
 public:
  explicit Writer(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("cannot write results file '" + path_ + "': " + what);
  }
  [[noreturn]] void fail_hdf5(const std::string& what) const {
    const std::string detail = hdf5_detail();
    fail(detail.empty() ? what : what + ": " + detail);
  }
  hid_t id(hid_t id, const std::string& what) const {
    if (id < 0) fail_hdf5(what);
    return id;
  }
  void ok(herr_t status, const std::string& what) const {
    if (status < 0) fail_hdf5(what);
  }

  // Creates the file in memory (HDF5's core driver, no backing store): HDF5
  // never touches the disk, so no I/O error can leave it half-closed, and the
  // bytes are written, synced and renamed by write_results_hdf5 itself.
  // `name` only identifies the file among those open in the library.
  void create(const std::string& name) {
    Handle fcpl(id(H5Pcreate(H5P_FILE_CREATE), "property list"), H5Pclose);
    ok(H5Pset_obj_track_times(fcpl.get(), false), "property list");  // the root group
    Handle fapl(id(H5Pcreate(H5P_FILE_ACCESS), "property list"), H5Pclose);
    ok(H5Pset_fapl_core(fapl.get(), core_increment, false), "property list");
    // Closing the file closes anything still open in it (after an error).
    ok(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "property list");
    file_ = Handle(id(H5Fcreate(name.c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()), "creating the file in memory"),
                   H5Fclose);

    gcpl_ = Handle(id(H5Pcreate(H5P_GROUP_CREATE), "property list"), H5Pclose);
    ok(H5Pset_obj_track_times(gcpl_.get(), false), "property list");
    string_type_ = Handle(id(H5Tcopy(H5T_C_S1), "string type"), H5Tclose);
    ok(H5Tset_size(string_type_.get(), H5T_VARIABLE), "string type");
    ok(H5Tset_cset(string_type_.get(), H5T_CSET_UTF8), "string type");
  }

  // Flushes the file and returns its bytes, then closes it.
  std::vector<char> image() {
    ok(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "flushing the file");
    const ssize_t size = H5Fget_file_image(file_.get(), nullptr, 0);
    if (size < 0) fail_hdf5("taking the file image");
    std::vector<char> bytes(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file_.get(), bytes.data(), bytes.size()) != size) fail_hdf5("taking the file image");
    finish(file_, "closing the file");
    return bytes;
  }

  // Closes a handle now, throwing if that fails (closing a dataset writes it).
  void finish(Handle& h, const std::string& what) const {
    if (!h.close()) fail_hdf5(what);
  }

  hid_t root() const { return file_.get(); }

  Handle group(hid_t parent, const std::string& name) const {
    return Handle(id(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl_.get(), H5P_DEFAULT),
                     "creating group '" + name + "'"),
                  H5Gclose);
  }

  // ---- attributes (scalars)

  template <class T>
  void attribute(hid_t object, const char* name, T value) const {
    Handle space(id(H5Screate(H5S_SCALAR), "dataspace"), H5Sclose);
    Handle attr(id(H5Acreate2(object, name, Types<T>::file(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   std::string("creating attribute '") + name + "'"),
                H5Aclose);
    ok(H5Awrite(attr.get(), Types<T>::mem(), &value), std::string("writing attribute '") + name + "'");
  }

  void attribute(hid_t object, const char* name, const std::string& value) const {
    Handle space(id(H5Screate(H5S_SCALAR), "dataspace"), H5Sclose);
    Handle attr(id(H5Acreate2(object, name, string_type_.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   std::string("creating attribute '") + name + "'"),
                H5Aclose);
    const char* text = value.c_str();
    ok(H5Awrite(attr.get(), string_type_.get(), &text), std::string("writing attribute '") + name + "'");
  }

  // ---- datasets

  // A dataset of the given shape from `data` (row-major, as many values as the
  // shape holds). Compressed datasets are 1-D, chunked, shuffled and gzipped.
  template <class T>
  void dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, const T* data,
               bool compress = false) const {
    Handle set = write(parent, name, dims, Types<T>::file(), Types<T>::mem(), data, compress);
    finish(set, "writing dataset '" + name + "'");
  }

  template <class T>
  void dataset(hid_t parent, const std::string& name, const std::vector<T>& values, bool compress = false) const {
    dataset(parent, name, {static_cast<hsize_t>(values.size())}, values.data(), compress);
  }

  // The same, left open (for attributes); close it with finish().
  template <class T>
  Handle open_dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, const T* data) const {
    return write(parent, name, dims, Types<T>::file(), Types<T>::mem(), data, false);
  }
  template <class T>
  Handle open_dataset(hid_t parent, const std::string& name, const std::vector<T>& values) const {
    return open_dataset(parent, name, {static_cast<hsize_t>(values.size())}, values.data());
  }

  void strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) const {
    std::vector<const char*> texts;
    for (const std::string& s : values) texts.push_back(s.c_str());
    Handle set = write(parent, name, {static_cast<hsize_t>(values.size())}, string_type_.get(),
                       string_type_.get(), texts.data(), false);
    finish(set, "writing dataset '" + name + "'");
  }

 private:
  Handle write(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims, hid_t file_type,
               hid_t mem_type, const void* data, bool compress) const {
    const std::string what = "writing dataset '" + name + "'";
    hsize_t elements = 1;
    for (hsize_t d : dims) elements *= d;
    Handle space(id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), what), H5Sclose);
    Handle dcpl(id(H5Pcreate(H5P_DATASET_CREATE), what), H5Pclose);
    ok(H5Pset_obj_track_times(dcpl.get(), false), what);
    if (compress && elements > 0) {
      const hsize_t chunk = std::min<hsize_t>(elements, people_chunk_rows);
      ok(H5Pset_chunk(dcpl.get(), 1, &chunk), what);
      ok(H5Pset_shuffle(dcpl.get()), what);
      ok(H5Pset_deflate(dcpl.get(), gzip_level), what);
    }
    Handle set(id(H5Dcreate2(parent, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                  what),
               H5Dclose);
    // HDF5 refuses a null buffer even for nothing; an empty dataset needs no write.
    if (elements > 0) ok(H5Dwrite(set.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), what);
    return set;
  }

  std::string path_;
  Handle file_;
  Handle gcpl_;
  Handle string_type_;
};


// Reads back what Writer wrote; every failure throws std::runtime_error
// naming the file and the object, except that a file the user named which
// is no HDF5 file (or a truncated one) is an InputError.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {
    file_ = Handle(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (file_.get() < 0)
      throw InputError(SourceLocation{path_, 0, 0, ""},
                       "cannot read it: not an HDF5 file, or truncated or unreadable (" + hdf5_detail() + ")");
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("cannot read '" + path_ + "': " + what);
  }
  hid_t root() const { return file_.get(); }
  bool exists(const std::string& name) const { return H5Lexists(file_.get(), name.c_str(), H5P_DEFAULT) > 0; }

  std::string string_attribute(const std::string& object, const char* name) const {
    Handle attr = open_attribute(object, name);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0)
      fail("attribute '" + std::string(name) + "' of '" + object + "' is not a string");
    char* text = nullptr;
    if (H5Aread(attr.get(), type.get(), &text) < 0 || text == nullptr)
      fail("reading attribute '" + std::string(name) + "' of '" + object + "'");
    std::string value(text);
    H5free_memory(text);
    return value;
  }

  template <class T>
  T attribute(const std::string& object, const char* name) const {
    Handle attr = open_attribute(object, name);
    T value{};
    if (H5Aread(attr.get(), Types<T>::mem(), &value) < 0)
      fail("reading attribute '" + std::string(name) + "' of '" + object + "'");
    return value;
  }

  // A dataset's values (row-major) and its shape.
  template <class T>
  std::vector<T> dataset(const std::string& name, std::vector<hsize_t>* shape = nullptr) const {
    Handle set(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (set.get() < 0) fail("no dataset '" + name + "'");
    Handle space(H5Dget_space(set.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) fail("dataset '" + name + "' has no shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    hsize_t elements = 1;
    for (hsize_t d : dims) elements *= d;
    std::vector<T> values(static_cast<std::size_t>(elements));
    if (elements > 0 && H5Dread(set.get(), Types<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
      fail("reading dataset '" + name + "' (" + hdf5_detail() + ")");
    if (shape) *shape = dims;
    return values;
  }

 private:
  Handle open_attribute(const std::string& object, const char* name) const {
    Handle attr(H5Aopen_by_name(file_.get(), object.c_str(), name, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (attr.get() < 0) fail("no attribute '" + std::string(name) + "' on '" + object + "'");
    return attr;
  }

  QuietErrors quiet_;
  std::string path_;
  Handle file_;
};

// A table of estimates (one row, or `rows` rows when `matrix`), written with
// only its first `defined` columns, so a file never holds a NaN for a quantity
// that is undefined (docs/edge-cases.md): the attribute `columns` names the
// columns written, `undefined` the ones left out.
template <std::size_t N>
void write_columns(const Writer& w, hid_t at, const std::string& name, const std::vector<double>& rows_by_column,
                   std::size_t rows, const char* const (&columns)[N], std::size_t defined, bool matrix) {
  std::vector<double> kept;
  for (std::size_t r = 0; r < rows; ++r)
    kept.insert(kept.end(), rows_by_column.begin() + static_cast<std::ptrdiff_t>(r * N),
                rows_by_column.begin() + static_cast<std::ptrdiff_t>(r * N + defined));
  const std::vector<hsize_t> dims = matrix ? std::vector<hsize_t>{rows, defined} : std::vector<hsize_t>{defined};
  Handle set = w.open_dataset(at, name, dims, kept.data());
  auto names = [&](std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t c = from; c < to; ++c) s += (c > from ? "," : "") + std::string(columns[c]);
    return s;
  };
  w.attribute(set.get(), "columns", names(0, defined));
  if (defined < N) w.attribute(set.get(), "undefined", names(defined, N));
  w.finish(set, "writing dataset '" + name + "'");
}

}  // namespace desist::hdf5
