// Module-map triplet cuts of one event, compiled twin of triplet_cuts.keep_triplets (numpy):
// a doublet is kept when it is on a pair in no triple of the map, or when it and a doublet
// sharing its outer (or inner) hit form a triple of the map whose three quantities (phi-slope,
// dz/dr and z0 differences, triplets.py) lie within the triple's bounds. Same float64
// operations as numpy (nan_to_num, the remainder of wrap_phi), so both keep the same doublets.
// Part of the extension trackgnn.graph_construction.module_map._doublets (ctypes, doublets.cpp).

#include <algorithm>
#include <cfloat>
#include <climits>
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

// One doublet in a hit's list: its three terms (phi slope, dz/dr, z0), index and unit (map
// pair or ring pair). 32-bit index and unit keep an entry at 32 bytes (checked by the caller).
struct Ref {
  double slope, cot, z0;
  int32_t edge, unit;
};

// The doublets into (in) and out of (out) each hit, CSR by hit; each hit's list sorted by
// unit, then by phi slope.
struct Lists {
  std::vector<int64_t> in_start, out_start;
  std::vector<Ref> in, out;
};

// nan_to_num of a difference of finite values (never NaN): an overflow to +-inf becomes +-DBL_MAX;
// min/max compile to branch-free instructions
inline double clamp_inf(double v) { return std::min(std::max(v, -DBL_MAX), DBL_MAX); }

inline bool before(const Ref& a, const Ref& b) { return a.unit < b.unit || (a.unit == b.unit && a.slope < b.slope); }

// Triplets through middle hits [h0, h1): for every (in-unit p, out-unit q) of the hit that is
// a triple of the map, the in-doublets of p with the out-doublets of q whose three differences
// lie within the triple's bounds; marks both doublets of each passing triplet in keep.
// The phi-slope difference d = clamp(slope_out - slope_in) is non-decreasing in slope_out and
// non-increasing in slope_in (rounding is monotone), and both runs are sorted by slope. A run
// pair whose extreme differences miss the bounds (of any quantity: the runs' smallest and
// largest dz/dr and z0 bound those differences alike) is skipped whole; for the in-doublets
// in slope order, the out-doublets within the phi-slope bounds form a window whose two ends
// only move forward. Most pairs fail the phi-slope difference (~93% on a mu = 200 event), so
// few are visited; the result is that of testing every pair.
void run_hits(const Table& t, const Lists& g, int64_t h0, int64_t h1, uint8_t* keep) {
  struct Group {
    int64_t unit, b0, b1;
    double cot_min, cot_max, z0_min, z0_max;  // of the run: bounds of the other two differences
  };
  std::vector<Group> groups;
  for (int64_t h = h0; h < h1; ++h) {
    const int64_t i_end = g.in_start[h + 1], o_end = g.out_start[h + 1];
    if (i_end == g.in_start[h] || o_end == g.out_start[h]) continue;
    groups.clear();
    for (int64_t b0 = g.out_start[h]; b0 < o_end;) {
      const int64_t q = g.out[b0].unit;
      Group grp{q, b0, b0 + 1, g.out[b0].cot, g.out[b0].cot, g.out[b0].z0, g.out[b0].z0};
      for (; grp.b1 < o_end && g.out[grp.b1].unit == q; ++grp.b1) {
        const Ref& rb = g.out[grp.b1];
        grp.cot_min = std::min(grp.cot_min, rb.cot), grp.cot_max = std::max(grp.cot_max, rb.cot);
        grp.z0_min = std::min(grp.z0_min, rb.z0), grp.z0_max = std::max(grp.z0_max, rb.z0);
      }
      const int64_t b1 = grp.b1;
      groups.push_back(grp);
      b0 = b1;
    }
    for (int64_t a0 = g.in_start[h]; a0 < i_end;) {
      const int64_t p = g.in[a0].unit;
      int64_t a1 = a0 + 1;
      double cot_min = g.in[a0].cot, cot_max = cot_min, z0_min = g.in[a0].z0, z0_max = z0_min;
      for (; a1 < i_end && g.in[a1].unit == p; ++a1) {
        cot_min = std::min(cot_min, g.in[a1].cot), cot_max = std::max(cot_max, g.in[a1].cot);
        z0_min = std::min(z0_min, g.in[a1].z0), z0_max = std::max(z0_max, g.in[a1].z0);
      }
      // p's triples (sorted by second unit) merged with the hit's out-groups (sorted by unit)
      int64_t k = t.start[p];
      const int64_t t1 = k + t.count[p];
      for (size_t gi = 0; gi < groups.size() && k < t1; ++gi) {
        const Group& grp = groups[gi];
        while (k < t1 && t.second[k] < grp.unit) ++k;
        if (k == t1 || t.second[k] != grp.unit) continue;
        const double* l = t.lower + 3 * k;
        const double* u = t.upper + 3 * k;
        // extreme differences: (largest out - smallest in) and (smallest out - largest in)
        if (clamp_inf(g.out[grp.b1 - 1].slope - g.in[a0].slope) < l[0]) continue;
        if (clamp_inf(g.out[grp.b0].slope - g.in[a1 - 1].slope) > u[0]) continue;
        // the same for the dz/dr and z0 differences, from the runs' extremes
        if (clamp_inf(grp.cot_max - cot_min) < l[1] || clamp_inf(grp.cot_min - cot_max) > u[1]) continue;
        if (clamp_inf(grp.z0_max - z0_min) < l[2] || clamp_inf(grp.z0_min - z0_max) > u[2]) continue;
        int64_t s = grp.b0, e = grp.b0;  // window [s, e): d >= l[0] from s, d <= u[0] before e
        // with l in (-DBL_MAX, DBL_MAX] and u in [-DBL_MAX, DBL_MAX) the unclamped difference
        // compares as the clamped one (an infinite difference is beyond, or within, both the
        // same way): the common case skips the clamp; NaN bounds take the clamped path
        const bool inner = l[0] > -DBL_MAX && l[0] <= DBL_MAX && u[0] >= -DBL_MAX && u[0] < DBL_MAX;
        for (int64_t x = a0; x < a1; ++x) {
          const Ref& ra = g.in[x];
          // finite - finite is never NaN: nan_to_num only clamps an overflow to +-DBL_MAX
          if (inner) {
            while (s < grp.b1 && !(g.out[s].slope - ra.slope >= l[0])) ++s;
            if (s == grp.b1) break;  // no out-doublet reaches the lower bound, nor for the later ones
            if (e < s) e = s;
            while (e < grp.b1 && g.out[e].slope - ra.slope <= u[0]) ++e;
          } else {
            while (s < grp.b1 && !(clamp_inf(g.out[s].slope - ra.slope) >= l[0])) ++s;
            if (s == grp.b1) break;
            if (e < s) e = s;
            while (e < grp.b1 && clamp_inf(g.out[e].slope - ra.slope) <= u[0]) ++e;
          }
          for (int64_t y = s; y < e; ++y) {
            const Ref& rb = g.out[y];
            const double v1 = clamp_inf(rb.cot - ra.cot), v2 = clamp_inf(rb.z0 - ra.z0);
            // one branch for the four tests (most pairs in the window fail one of them)
            if ((v1 >= l[1]) & (v1 <= u[1]) & (v2 >= l[2]) & (v2 <= u[2])) keep[ra.edge] = keep[rb.edge] = 1;
          }
        }
      }
      a0 = a1;
    }
  }
}

// CSR offsets of the doublets by hit (key: src or dst).
void offsets(int64_t n_edges, int64_t n_hits, const int64_t* key, std::vector<int64_t>* start) {
  start->assign(n_hits + 1, 0);
  int64_t* st = start->data();
  for (int64_t e = 0; e < n_edges; ++e) ++st[key[e] + 1];
  for (int64_t h = 0; h < n_hits; ++h) st[h + 1] += st[h];
}

// Each hit's list sorted by (unit, slope): insertion sort, the lists being a few dozen entries.
void sort_lists(int64_t n_hits, const std::vector<int64_t>& start, std::vector<Ref>* list) {
  Ref* out = list->data();
  for (int64_t h = 0; h < n_hits; ++h) {
    const int64_t first = start[h], end = start[h + 1];
    for (int64_t x = first + 1; x < end; ++x) {
      if (!before(out[x], out[x - 1])) continue;
      const Ref ref = out[x];
      int64_t y = x;
      for (; y > first && before(ref, out[y - 1]); --y) out[y] = out[y - 1];
      out[y] = ref;
    }
  }
}

// The in- and out-list of every hit: each doublet with its terms (the float64 operations of
// triplets.edge_terms: wrap, then nan_to_num of phi slope, dz/dr and z0, computed once) placed
// by a counting sort on its dst and on its src, then each list sorted by (unit, slope) (the
// in- and out-lists in two threads when threads > 1).
void fill_lists(int64_t n_edges, int64_t n_hits, const int64_t* src, const int64_t* dst, const int64_t* unit,
                const double* r, const double* phi, const double* z, int threads, Lists* g) {
  offsets(n_edges, n_hits, dst, &g->in_start);
  offsets(n_edges, n_hits, src, &g->out_start);
  g->in.resize(n_edges);
  g->out.resize(n_edges);
  std::vector<int64_t> fill_in(g->in_start.begin(), g->in_start.end() - 1);
  std::vector<int64_t> fill_out(g->out_start.begin(), g->out_start.end() - 1);
  Ref *in = g->in.data(), *out = g->out.data();
  for (int64_t e = 0; e < n_edges; ++e) {
    const int64_t i = src[e], j = dst[e];
    const double dr = r[j] - r[i];
    const double cot = (z[j] - z[i]) / dr;
    const Ref ref{to_finite(wrap_t(phi[j] - phi[i]) / dr), to_finite(cot), to_finite(z[i] - r[i] * cot), int32_t(e),
                  int32_t(unit[e])};
    in[fill_in[j]++] = ref;
    out[fill_out[i]++] = ref;
  }
  if (threads > 1) {
    std::thread other(sort_lists, n_hits, std::cref(g->in_start), &g->in);
    sort_lists(n_hits, g->out_start, &g->out);
    other.join();
  } else {
    sort_lists(n_hits, g->in_start, &g->in);
    sort_lists(n_hits, g->out_start, &g->out);
  }
}

}  // namespace

extern "C" {

// keep [n_edges]: 1 for kept doublets. src/dst/unit [n_edges]: hit indices and unit (map pair,
// or ring pair) of each doublet; r, phi, z [n_hits]; start/count/in_triple
// [n_units]: each unit's triples (sorted by second unit) and whether it is in any triple;
// second [n_triples], lower/upper [n_triples * 3]. Returns 0, -1 when out of memory, -2 when
// the doublets or units do not fit 32-bit indices.
int tg_mm_triplets(int64_t n_edges, const int64_t* src, const int64_t* dst, const int64_t* unit, int64_t n_hits,
                   const double* r, const double* phi, const double* z, const int64_t* start, const int64_t* count,
                   const uint8_t* in_triple, const int64_t* second, const double* lower, const double* upper,
                   int threads, uint8_t* keep) {
  try {
    int64_t n_units = 0;
    for (int64_t e = 0; e < n_edges; ++e) {
      n_units = std::max(n_units, unit[e] + 1);
      keep[e] = in_triple[unit[e]] ? 0 : 1;
    }
    if (n_edges > INT32_MAX || n_units > INT32_MAX) return -2;
    Lists g;
    fill_lists(n_edges, n_hits, src, dst, unit, r, phi, z, threads, &g);
    const Table t{start, count, second, lower, upper};
    if (threads < 1) threads = 1;
    std::vector<std::vector<uint8_t>> marks(threads > 1 ? threads - 1 : 0, std::vector<uint8_t>(n_edges, 0));
    // hit ranges of about equal work (in-degree times out-degree)
    std::vector<int64_t> bounds{0};
    if (threads > 1) {
      double total = 0, acc = 0;
      for (int64_t h = 0; h < n_hits; ++h)
        total += double(g.in_start[h + 1] - g.in_start[h]) * double(g.out_start[h + 1] - g.out_start[h]);
      for (int64_t h = 0; h < n_hits && int(bounds.size()) < threads; ++h) {
        acc += double(g.in_start[h + 1] - g.in_start[h]) * double(g.out_start[h + 1] - g.out_start[h]);
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
