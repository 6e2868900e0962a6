// Module-map triplet cuts of one event, compiled twin of triplet_cuts.keep_triplets (numpy):
// a doublet is kept when it is on a pair in no triple of the map, or when it and a doublet
// sharing its outer (or inner) hit form a triple of the map whose three quantities (phi-slope,
// dz/dr and z0 differences, triplets.py) lie within the triple's bounds. Same float64
// operations as numpy (nan_to_num, the remainder of wrap_phi), so both keep the same doublets.
// Part of the extension trackgnn.graph_construction.module_map._doublets (ctypes, doublets.cpp).

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace {

const double kPi = 3.141592653589793;
const double kTwoPi = 2 * kPi;

inline double wrap_t(double x) {  // quantities.wrap_phi, as doublets.cpp's wrap
  double y = x + kPi;
  if (y >= 0 && y < kTwoPi) return y - kPi;
  double mod = std::fmod(y, kTwoPi);
  if (mod != 0) {
    if (mod < 0) mod += kTwoPi;
  } else {
    mod = 0.0;
  }
  return mod - kPi;
}

inline double to_finite(double x) {  // numpy.nan_to_num(x, nan=0.0)
  if (std::isnan(x)) return 0.0;
  if (std::isinf(x)) return x > 0 ? DBL_MAX : -DBL_MAX;
  return x;
}

struct Table {
  const int64_t *start, *count, *second;
  const double *lower, *upper;
};

struct Graph {
  const int64_t* unit;  // [n_edges] unit (map pair or ring pair) of each doublet
  const int64_t *in_start, *in_edges, *out_start, *out_edges;  // per hit, sorted by unit
  const double *in_terms, *out_terms;  // [n_edges * 3] phi slope, dz/dr, z0 in the order of in/out_edges
};

inline double clamp_inf(double v) { return v > DBL_MAX ? DBL_MAX : (v < -DBL_MAX ? -DBL_MAX : v); }

// Triplets through middle hits [h0, h1): for every (in-unit p, out-unit q) of the hit that is
// a triple of the map, every in-doublet of p with every out-doublet of q; marks both doublets
// of each passing triplet in keep.
void run_hits(const Table& t, const Graph& g, int64_t h0, int64_t h1, uint8_t* keep) {
  for (int64_t h = h0; h < h1; ++h) {
    const int64_t i_end = g.in_start[h + 1], o_end = g.out_start[h + 1];
    for (int64_t a0 = g.in_start[h]; a0 < i_end;) {
      const int64_t p = g.unit[g.in_edges[a0]];
      int64_t a1 = a0 + 1;
      while (a1 < i_end && g.unit[g.in_edges[a1]] == p) ++a1;
      const int64_t t0 = t.start[p], t1 = t0 + t.count[p];
      for (int64_t b0 = g.out_start[h]; b0 < o_end && t0 < t1;) {
        const int64_t q = g.unit[g.out_edges[b0]];
        int64_t b1 = b0 + 1;
        while (b1 < o_end && g.unit[g.out_edges[b1]] == q) ++b1;
        int64_t lo = t0, hi = t1;  // the triple (p, q): binary search of q among p's triples
        while (lo < hi) {
          int64_t mid = lo + (hi - lo) / 2;
          if (t.second[mid] < q) lo = mid + 1; else hi = mid;
        }
        if (lo < t1 && t.second[lo] == q) {
          const double* l = t.lower + 3 * lo;
          const double* u = t.upper + 3 * lo;
          for (int64_t x = a0; x < a1; ++x) {
            const double* ta = g.in_terms + 3 * x;
            for (int64_t y = b0; y < b1; ++y) {
              // finite - finite is never NaN: nan_to_num only clamps an overflow to +-DBL_MAX
              const double* tb = g.out_terms + 3 * y;
              const double v0 = clamp_inf(tb[0] - ta[0]);
              if (!(v0 >= l[0] && v0 <= u[0])) continue;  // most fakes fail the phi-slope difference
              const double v1 = clamp_inf(tb[1] - ta[1]), v2 = clamp_inf(tb[2] - ta[2]);
              if (v1 >= l[1] && v1 <= u[1] && v2 >= l[2] && v2 <= u[2]) keep[g.in_edges[x]] = keep[g.out_edges[y]] = 1;
            }
          }
        }
        b0 = b1;
      }
      a0 = a1;
    }
  }
}

// CSR of the doublets by hit (key: src or dst) over `by_unit` (the doublets in unit order), so
// that each hit's list is sorted by unit (a stable counting sort: the second pass of a radix sort).
void by_hit(int64_t n_edges, int64_t n_hits, const int64_t* key, const std::vector<int64_t>& by_unit,
            const std::vector<double>& terms, std::vector<int64_t>* start, std::vector<int64_t>* edges,
            std::vector<double>* sorted_terms) {
  start->assign(n_hits + 1, 0);
  edges->resize(n_edges);
  sorted_terms->resize(3 * n_edges);
  for (int64_t e = 0; e < n_edges; ++e) ++(*start)[key[e] + 1];
  for (int64_t h = 0; h < n_hits; ++h) (*start)[h + 1] += (*start)[h];
  std::vector<int64_t> fill(start->begin(), start->end() - 1);
  for (int64_t e : by_unit) (*edges)[fill[key[e]]++] = e;
  for (int64_t x = 0; x < n_edges; ++x)
    for (int k = 0; k < 3; ++k) (*sorted_terms)[3 * x + k] = terms[3 * (*edges)[x] + k];
}

}  // namespace

extern "C" {

// keep [n_edges]: 1 for kept doublets. src/dst/unit [n_edges]: hit indices and unit (map pair,
// or ring pair) of each doublet; r, phi, z [n_hits]; start/count/in_triple
// [n_units]: each unit's triples (sorted by second unit) and whether it is in any triple;
// second [n_triples], lower/upper [n_triples * 3]. Returns 0, or -1 when out of memory.
int tg_mm_triplets(int64_t n_edges, const int64_t* src, const int64_t* dst, const int64_t* unit, int64_t n_hits,
                   const double* r, const double* phi, const double* z, const int64_t* start, const int64_t* count,
                   const uint8_t* in_triple, const int64_t* second, const double* lower, const double* upper,
                   int threads, uint8_t* keep) {
  try {
    std::vector<double> terms(3 * n_edges);
    for (int64_t e = 0; e < n_edges; ++e) {
      const int64_t i = src[e], j = dst[e];
      const double dr = r[j] - r[i], dz = z[j] - z[i];
      terms[3 * e] = to_finite(wrap_t(phi[j] - phi[i]) / dr);
      terms[3 * e + 1] = to_finite(dz / dr);
      terms[3 * e + 2] = to_finite(z[i] - r[i] * ((z[j] - z[i]) / dr));
      keep[e] = in_triple[unit[e]] ? 0 : 1;
    }
    int64_t n_units = 0;
    for (int64_t e = 0; e < n_edges; ++e) n_units = std::max(n_units, unit[e] + 1);
    std::vector<int64_t> unit_start(n_units + 1, 0), by_unit(n_edges);
    for (int64_t e = 0; e < n_edges; ++e) ++unit_start[unit[e] + 1];
    for (int64_t u = 0; u < n_units; ++u) unit_start[u + 1] += unit_start[u];
    for (int64_t e = 0; e < n_edges; ++e) by_unit[unit_start[unit[e]]++] = e;
    std::vector<int64_t> in_start, in_edges, out_start, out_edges;
    std::vector<double> in_terms, out_terms;
    if (threads > 1) {  // the two lists in parallel
      std::thread other(by_hit, n_edges, n_hits, dst, std::cref(by_unit), std::cref(terms), &in_start, &in_edges,
                        &in_terms);
      by_hit(n_edges, n_hits, src, by_unit, terms, &out_start, &out_edges, &out_terms);
      other.join();
    } else {
      by_hit(n_edges, n_hits, dst, by_unit, terms, &in_start, &in_edges, &in_terms);
      by_hit(n_edges, n_hits, src, by_unit, terms, &out_start, &out_edges, &out_terms);
    }
    const Table t{start, count, second, lower, upper};
    const Graph g{unit,           in_start.data(), in_edges.data(), out_start.data(), out_edges.data(),
                  in_terms.data(), out_terms.data()};
    if (threads < 1) threads = 1;
    std::vector<std::vector<uint8_t>> marks(threads > 1 ? threads - 1 : 0, std::vector<uint8_t>(n_edges, 0));
    // hit ranges of about equal work (in-degree times out-degree)
    std::vector<int64_t> bounds{0};
    if (threads > 1) {
      double total = 0, acc = 0;
      for (int64_t h = 0; h < n_hits; ++h)
        total += double(in_start[h + 1] - in_start[h]) * double(out_start[h + 1] - out_start[h]);
      for (int64_t h = 0; h < n_hits && int(bounds.size()) < threads; ++h) {
        acc += double(in_start[h + 1] - in_start[h]) * double(out_start[h + 1] - out_start[h]);
        if (acc >= total * double(bounds.size()) / threads) bounds.push_back(h + 1);
      }
    }
    while (int(bounds.size()) <= threads) bounds.push_back(n_hits);
    std::vector<std::thread> pool;
    for (int k = 1; k < threads; ++k)
      pool.emplace_back(run_hits, std::cref(t), std::cref(g), bounds[k], bounds[k + 1], marks[k - 1].data());
    run_hits(t, g, bounds[0], bounds[1], keep);
    for (auto& th : pool) th.join();
    for (const auto& m : marks)
      for (int64_t e = 0; e < n_edges; ++e) keep[e] |= m[e];
  } catch (...) {
    return -1;
  }
  return 0;
}

}  // extern "C"
