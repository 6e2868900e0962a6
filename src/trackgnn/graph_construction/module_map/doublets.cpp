// Module-map doublets of one event, compiled twin of MapGraphBuilder._block (module_map/graph.py):
// for every map pair (a, b) and hit i on module a, the hits j of module b whose phi' (azimuth
// relative to b's reference, sorted within b) lies in the pair's dphi window, kept when every
// quantity lies within the pair's bounds. The quantities are computed with the same float64
// operations as quantities.py (numpy's remainder, nan_to_num), so both give the same edges.
// Built as the optional extension trackgnn.graph_construction.module_map._doublets (ctypes).

#include <Python.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <functional>
#include <new>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

const double kPi = 3.141592653589793;
const double kTwoPi = 2 * kPi;

// numpy's float remainder (sign of the divisor), then - pi: quantities.wrap_phi. For y in
// [0, 2 pi) the remainder is y itself (fmod is exact), so the common case skips fmod.
inline double wrap(double x) {
  double y = x + kPi;
  if (y >= 0 && y < kTwoPi) return y - kPi;
  double mod = std::fmod(y, kTwoPi);
  if (mod != 0) {
    if ((kTwoPi < 0) != (mod < 0)) mod += kTwoPi;
  } else {
    mod = std::copysign(0.0, kTwoPi);
  }
  return mod - kPi;
}

// numpy.nan_to_num(x, nan=0.0): infinities become the largest finite double
inline double nan_to_num(double x) {
  if (std::isnan(x)) return 0.0;
  if (std::isinf(x)) return x > 0 ? DBL_MAX : -DBL_MAX;
  return x;
}

// First index in [lo, hi) of the sorted v with v[k] >= x (std::lower_bound), branch-free:
// the ranges are a module's few hits, where a mispredicted branch per step costs more than
// the step.
inline int64_t lower_bound(const double* v, int64_t lo, int64_t hi, double x) {
  int64_t n = hi - lo;
  if (n <= 0) return lo;
  const double* base = v + lo;
  while (n > 1) {
    const int64_t half = n / 2;
    base = (base[half - 1] < x) ? base + half : base;
    n -= half;
  }
  return (base - v) + (*base < x);
}

// First index in [lo, hi) with v[k] > x (std::upper_bound), branch-free.
inline int64_t upper_bound(const double* v, int64_t lo, int64_t hi, double x) {
  int64_t n = hi - lo;
  if (n <= 0) return lo;
  const double* base = v + lo;
  while (n > 1) {
    const int64_t half = n / 2;
    base = (base[half - 1] <= x) ? base + half : base;
    n -= half;
  }
  return (base - v) + (*base <= x);
}

// The last window of a (pair, shift): its bounds and ends.
struct Window {
  bool valid = false;
  double w0 = 0, w1 = 0;
  int64_t s = 0, e = 0;
};

struct Result {
  std::vector<int64_t> i, j, pair;
  int64_t candidates = 0;
};

}  // namespace

namespace {

struct Inputs {
  const int64_t *pa, *pb;
  const double *lower, *upper;
  const int64_t *start, *count;
  const double *ref, *local, *r, *phi, *z, *eta;
  double slack;
};

// Doublets of pairs [p0, p1) appended to out.
void run_pairs(const Inputs& in, int64_t p0, int64_t p1, Result* out) {
  for (int64_t p = p0; p < p1; ++p) {
    const int64_t a = in.pa[p], b = in.pb[p];
    if (in.count[a] == 0 || in.count[b] == 0) continue;
    const double* lo = in.lower + 5 * p;
    const double* hi = in.upper + 5 * p;
    const int64_t b0 = in.start[b], b1 = in.start[b] + in.count[b];
    const bool full = hi[0] - lo[0] >= kTwoPi - 2 * in.slack;
    const double *r = in.r, *phi = in.phi, *z = in.z, *eta = in.eta;
    // The hits of a are in increasing phi', so the windows on b mostly move forward from one
    // hit to the next (not across the branch cut): each window end is scanned forward from
    // the previous one when neither it nor what it depends on moved back (the answer cannot
    // lie before it then), else found by binary search: exactly the lower / upper bound.
    Window last[3];
    for (int64_t i = in.start[a]; i < in.start[a] + in.count[a]; ++i) {
      const double delta = wrap(in.ref[b] - phi[i]);
      for (int k = -1; k <= 1; ++k) {
        int64_t s = b0, e = b1;
        if (full) {
          if (k != 0) continue;
        } else {
          const double w0 = lo[0] - delta - in.slack + k * kTwoPi, w1 = hi[0] - delta + in.slack + k * kTwoPi;
          if (w1 < -kPi || w0 >= kPi) continue;
          Window& h = last[k + 1];
          if (h.valid && w0 >= h.w0) {
            s = h.s;
            while (s < b1 && in.local[s] < w0) ++s;
          } else {
            s = lower_bound(in.local, b0, b1, w0);
          }
          if (h.valid && w1 >= h.w1 && s >= h.s) {
            e = std::max(s, h.e);  // the upper bound is max(s, first index past w1) >= h.e
            while (e < b1 && in.local[e] <= w1) ++e;
          } else {
            e = upper_bound(in.local, s, b1, w1);
          }
          h = {true, w0, w1, s, e};
        }
        out->candidates += e - s;
        for (int64_t j = s; j < e; ++j) {
          const double dphi = wrap(phi[j] - phi[i]);
          if (!(dphi >= lo[0] && dphi <= hi[0])) continue;
          // every cut must pass: the cheap differences first, the two divisions last
          const double dz = z[j] - z[i];
          if (!(dz >= lo[2] && dz <= hi[2])) continue;
          const double deta = eta[j] - eta[i];
          if (!(deta >= lo[4] && deta <= hi[4])) continue;
          const double dr = r[j] - r[i];
          const double z0 = nan_to_num(z[i] - r[i] * ((z[j] - z[i]) / dr));
          if (!(z0 >= lo[1] && z0 <= hi[1])) continue;
          const double slope = nan_to_num(dphi / dr);  // the same wrapped value numpy recomputes
          if (!(slope >= lo[3] && slope <= hi[3])) continue;
          out->i.push_back(i);
          out->j.push_back(j);
          out->pair.push_back(p);
        }
      }
    }
  }
}

}  // namespace

extern "C" {

// Doublets of all map pairs. Hits are in module order, sorted by phi' within a module.
// lower/upper: [n_pairs * 5] bounds in the order dphi, z0, dz, phi_slope, deta.
// start/count: [n_modules] hit range of each module; ref: [n_modules] reference phi;
// local, r, phi, z, eta: [n_hits]. The pairs are cut into `threads` contiguous ranges of
// about equal work (sum of n_a n_b) whose results are joined in order, so the output does
// not depend on the thread count. Returns a handle (nullptr when out of memory).
void* tg_mm_doublets(int64_t n_pairs, const int64_t* pa, const int64_t* pb, const double* lower,
                     const double* upper, const int64_t* start, const int64_t* count, const double* ref,
                     const double* local, const double* r, const double* phi, const double* z,
                     const double* eta, double slack, int threads) {
  const Inputs in{pa, pb, lower, upper, start, count, ref, local, r, phi, z, eta, slack};
  Result* out = new (std::nothrow) Result();
  if (!out) return nullptr;
  try {
    if (threads < 1) threads = 1;
    std::vector<int64_t> bounds{0};
    if (threads > 1) {
      double total = 0;
      for (int64_t p = 0; p < n_pairs; ++p) total += double(count[pa[p]]) * double(count[pb[p]]);
      double acc = 0;
      for (int64_t p = 0; p < n_pairs && int(bounds.size()) < threads; ++p) {
        acc += double(count[pa[p]]) * double(count[pb[p]]);
        if (acc >= total * double(bounds.size()) / threads) bounds.push_back(p + 1);
      }
    }
    bounds.push_back(n_pairs);
    const size_t parts = bounds.size() - 1;
    std::vector<Result> partial(parts);
    std::vector<std::thread> pool;
    for (size_t t = 1; t < parts; ++t) pool.emplace_back(run_pairs, std::cref(in), bounds[t], bounds[t + 1], &partial[t]);
    run_pairs(in, bounds[0], bounds[1], &partial[0]);
    for (auto& th : pool) th.join();
    size_t n = 0;
    for (const auto& part : partial) n += part.i.size();
    *out = std::move(partial[0]);  // the first part as it is, the others appended
    out->i.reserve(n);
    out->j.reserve(n);
    out->pair.reserve(n);
    for (size_t t = 1; t < parts; ++t) {
      const Result& part = partial[t];
      out->i.insert(out->i.end(), part.i.begin(), part.i.end());
      out->j.insert(out->j.end(), part.j.begin(), part.j.end());
      out->pair.insert(out->pair.end(), part.pair.begin(), part.pair.end());
      out->candidates += part.candidates;
    }
  } catch (const std::exception&) {  // bad_alloc, or a thread that could not start
    delete out;
    return nullptr;
  }
  return out;
}

int64_t tg_mm_size(void* handle) { return int64_t(static_cast<Result*>(handle)->i.size()); }

int64_t tg_mm_candidates(void* handle) { return static_cast<Result*>(handle)->candidates; }

void tg_mm_copy(void* handle, int64_t* i, int64_t* j, int64_t* pair) {
  const Result* res = static_cast<Result*>(handle);
  for (size_t n = 0; n < res->i.size(); ++n) {
    i[n] = res->i[n];
    j[n] = res->j[n];
    pair[n] = res->pair[n];
  }
}

void tg_mm_free(void* handle) { delete static_cast<Result*>(handle); }

}  // extern "C"

// A Python extension module only so that setuptools builds and installs it like any other;
// the functions above are reached through ctypes (which releases the GIL during the call).
static PyModuleDef doublets_module = {PyModuleDef_HEAD_INIT, "_doublets", "module-map doublets (ctypes entry points)",
                                      -1, nullptr, nullptr, nullptr, nullptr, nullptr};
PyMODINIT_FUNC PyInit__doublets(void) { return PyModule_Create(&doublets_module); }
