// k nearest neighbours within a radius, for every point of a float32 point cloud.
//
// The engine behind the `kdtree` backend (trackgnn/graph_construction/backends/kdtree.py),
// called through ctypes. scipy's cKDTree answers the same query in float64 for any p-norm;
// this tree is specialised for the one query graph construction makes (all points against
// all points, squared Euclidean distance, float32) and is ~2.5x faster on a full-size
// event (10^5 points in 8 dimensions, ~60 within the radius of a median point):
//   - leaves store their points dimension-major, so the distances of a query to a whole
//     leaf are one loop the compiler vectorises;
//   - a subtree is skipped when the query's distance to its cell (accumulated across the
//     split planes crossed) reaches the current k-th best distance (initially the radius);
//   - queries are taken in the tree's leaf order, in chunks shared between threads, so
//     consecutive queries walk the same leaves while they are in cache.
// Distances are computed as sum((p - q)^2) in float32: no cancellation, only rounding
// (~1e-7 relative), so the neighbours are those of an exact search up to ties at that level.
//
// All entry points are extern "C", return 0 on success and -1 on failure (bad arguments, out
// of memory), and never let a C++ exception cross into Python.

#include <Python.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <thread>
#include <vector>

namespace {

struct Node {
  int32_t dim;           // split dimension, -1 for a leaf
  float split;           // left child: coordinate <= split, right child: >= split
  int32_t left, right;   // children (inner nodes)
  int64_t start, end;    // points [start, end) in tree order
};

struct Tree {
  int dim = 0;
  int64_t n = 0;
  int leafsize = 0;
  std::vector<float> points;   // tree order, point-major [n, dim]
  std::vector<float> leaves;   // tree order, each leaf dimension-major: leaf at s with m points
                               // holds coordinate c of its j-th point at leaves[s*dim + c*m + j]
  std::vector<int64_t> perm;   // tree position -> original index
  std::vector<Node> nodes;

  // Split [s, e) at the median of the box's widest dimension; returns the node id.
  int32_t build(int64_t s, int64_t e, const float* src) {
    const int32_t id = int32_t(nodes.size());
    nodes.push_back(Node{-1, 0.f, -1, -1, s, e});
    if (e - s <= leafsize) return id;
    std::vector<float> lo(dim, INFINITY), hi(dim, -INFINITY);
    for (int64_t i = s; i < e; ++i) {
      const float* p = src + perm[i] * dim;
      for (int c = 0; c < dim; ++c) {
        lo[c] = std::min(lo[c], p[c]);
        hi[c] = std::max(hi[c], p[c]);
      }
    }
    int split = 0;
    for (int c = 1; c < dim; ++c)
      if (hi[c] - lo[c] > hi[split] - lo[split]) split = c;
    if (!(hi[split] > lo[split])) return id;  // identical points: one leaf, however many
    const int64_t mid = s + (e - s) / 2;
    std::nth_element(perm.begin() + s, perm.begin() + mid, perm.begin() + e,
                     [&](int64_t a, int64_t b) { return src[a * dim + split] < src[b * dim + split]; });
    nodes[id].dim = split;
    nodes[id].split = src[perm[mid] * dim + split];
    const int32_t left = build(s, mid, src);
    const int32_t right = build(mid, e, src);
    nodes[id].left = left;
    nodes[id].right = right;
    return id;
  }

  void finish(const float* src) {
    points.resize(n * dim);
    leaves.resize(n * dim);
    for (int64_t i = 0; i < n; ++i)
      std::copy(src + perm[i] * dim, src + (perm[i] + 1) * dim, points.begin() + i * dim);
    for (const Node& node : nodes) {
      if (node.dim >= 0) continue;
      const int64_t m = node.end - node.start;
      for (int64_t j = 0; j < m; ++j)
        for (int c = 0; c < dim; ++c)
          leaves[node.start * dim + c * m + j] = points[(node.start + j) * dim + c];
    }
  }
};

// The k best (smallest squared distance) candidates, as a max-heap on the distance.
struct Best {
  float* d2;
  int64_t* pos;
  int k;
  int size = 0;
  float bound;  // squared radius: only closer candidates enter

  float worst() const { return size < k ? bound : d2[0]; }

  void push(float v, int64_t p) {
    int c;
    if (size < k) {
      c = size++;
      while (c > 0) {
        const int parent = (c - 1) / 2;
        if (d2[parent] >= v) break;
        d2[c] = d2[parent];
        pos[c] = pos[parent];
        c = parent;
      }
    } else {
      c = 0;
      for (;;) {
        const int l = 2 * c + 1;
        if (l >= k) break;
        const int m = (l + 1 < k && d2[l + 1] > d2[l]) ? l + 1 : l;
        if (d2[m] <= v) break;
        d2[c] = d2[m];
        pos[c] = pos[m];
        c = m;
      }
    }
    d2[c] = v;
    pos[c] = p;
  }
};

// Distances from q to every point of a leaf, into `out` (m entries). D > 0: the dimension,
// known at compile time (the loops unroll: ~1.5x faster); D = 0: read from the tree.
template <int D>
inline void leaf_distances(const Tree& t, const Node& node, const float* __restrict__ q, float* __restrict__ out) {
  const int dim = D > 0 ? D : t.dim;
  const int64_t m = node.end - node.start;
  const float* base = t.leaves.data() + node.start * dim;
  std::fill(out, out + m, 0.f);
  for (int c = 0; c < dim; ++c) {
    const float* __restrict__ coord = base + c * m;
    const float qc = q[c];
    for (int64_t j = 0; j < m; ++j) {
      const float z = coord[j] - qc;
      out[j] += z * z;
    }
  }
}

// The incremental cell distance is rounded a few ulps at each step and could exceed the true
// one, hiding a point just inside the bound: cells are skipped only when clearly beyond it.
constexpr float kRoundingSlack = 1.0f - 16 * 1.1920929e-07f;

// Depth-first search below node `id`; `gap` is the squared distance from q to the node's
// cell, `offset` the per-dimension components of that distance (Arya & Mount's incremental
// distance: crossing a split plane changes one component).
template <int D>
void search_knn(const Tree& t, int32_t id, const float* q, int64_t self, Best& best, float* scratch,
                float* offset, float gap) {
  const Node& node = t.nodes[id];
  if (node.dim < 0) {
    leaf_distances<D>(t, node, q, scratch);
    const int64_t m = node.end - node.start;
    float worst = best.worst();
    for (int64_t j = 0; j < m; ++j) {
      if (scratch[j] < worst && node.start + j != self) {
        best.push(scratch[j], node.start + j);
        worst = best.worst();
      }
    }
    return;
  }
  const float diff = q[node.dim] - node.split;
  search_knn<D>(t, diff < 0 ? node.left : node.right, q, self, best, scratch, offset, gap);
  const float old = offset[node.dim];
  const float far_gap = gap - old * old + diff * diff;
  if (far_gap * kRoundingSlack < best.worst()) {
    offset[node.dim] = diff;
    search_knn<D>(t, diff < 0 ? node.right : node.left, q, self, best, scratch, offset, far_gap);
    offset[node.dim] = old;
  }
}

template <int D>
int64_t count_within(const Tree& t, int32_t id, const float* q, int64_t self, float r2, float* scratch,
                     float* offset, float gap) {
  const Node& node = t.nodes[id];
  if (node.dim < 0) {
    leaf_distances<D>(t, node, q, scratch);
    int64_t count = 0;
    const int64_t m = node.end - node.start;
    for (int64_t j = 0; j < m; ++j) count += (scratch[j] < r2) && (node.start + j != self);
    return count;
  }
  const float diff = q[node.dim] - node.split;
  int64_t count = count_within<D>(t, diff < 0 ? node.left : node.right, q, self, r2, scratch, offset, gap);
  const float old = offset[node.dim];
  const float far_gap = gap - old * old + diff * diff;
  if (far_gap * kRoundingSlack < r2) {
    offset[node.dim] = diff;
    count += count_within<D>(t, diff < 0 ? node.right : node.left, q, self, r2, scratch, offset, far_gap);
    offset[node.dim] = old;
  }
  return count;
}

using KnnFn = void (*)(const Tree&, int32_t, const float*, int64_t, Best&, float*, float*, float);
using CountFn = int64_t (*)(const Tree&, int32_t, const float*, int64_t, float, float*, float*, float);

// The searches specialised for the tree's dimension (embeddings are usually 2-16 wide).
struct Kernels {
  KnnFn knn;
  CountFn count;
};

template <int D>
constexpr Kernels kernels() { return {search_knn<D>, count_within<D>}; }

Kernels kernels_for(int dim) {
  switch (dim) {
    case 2: return kernels<2>();
    case 3: return kernels<3>();
    case 4: return kernels<4>();
    case 6: return kernels<6>();
    case 8: return kernels<8>();
    case 12: return kernels<12>();
    case 16: return kernels<16>();
    default: return kernels<0>();
  }
}

// Run body(i, w) for i in [0, n) on up to `threads` threads (w: the thread's number), in
// chunks handed out in order.
template <class Body>
void parallel_for(int64_t n, int threads, Body body) {
  const int64_t chunk = 256;
  std::atomic<int64_t> next{0};
  auto work = [&](int w) {
    for (int64_t a = next.fetch_add(chunk); a < n; a = next.fetch_add(chunk))
      for (int64_t i = a; i < std::min(n, a + chunk); ++i) body(i, w);
  };
  std::vector<std::thread> pool;
  try {
    for (int w = 1; w < threads; ++w) pool.emplace_back(work, w);
  } catch (...) {
    // a thread could not start (process limit): the chunks are shared, so the threads that
    // did start, and this one, do all the work with the same result
  }
  work(0);
  for (auto& th : pool) th.join();
}

// Workers worth starting for n queries (at least one chunk each).
int workers(int64_t n, int threads) {
  return int(std::max<int64_t>(1, std::min<int64_t>(threads, (n + 255) / 256)));
}

int64_t max_leaf(const Tree& t) {
  int64_t m = 0;
  for (const Node& node : t.nodes)
    if (node.dim < 0) m = std::max(m, node.end - node.start);
  return m;
}

}  // namespace

extern "C" {

// A tree over points [n, dim] (float32, C order); nullptr on failure.
void* tg_kd_build(const float* points, int64_t n, int dim, int leafsize) {
  if (points == nullptr || n < 0 || dim < 1) return nullptr;
  try {
    auto t = std::make_unique<Tree>();
    t->dim = dim;
    t->n = n;
    t->leafsize = std::max(leafsize, 1);
    t->perm.resize(n);
    std::iota(t->perm.begin(), t->perm.end(), int64_t(0));
    t->nodes.reserve(size_t(4 * (n / t->leafsize + 1)));
    if (n > 0) t->build(0, n, points);
    t->finish(points);
    return t.release();
  } catch (...) {
    return nullptr;
  }
}

void tg_kd_free(void* tree) { delete static_cast<Tree*>(tree); }

// For every point i (original order): its (at most) k nearest other points j with
// |p_j - p_i|^2 < r2, in no particular order. index[i*k + s] = j or -1, dist2 likewise
// (inf where empty); count[i] = number found (k: the cap may have dropped more).
int tg_kd_knn(const void* tree, int k, float r2, int threads, int64_t* index, float* dist2, int32_t* count) {
  if (tree == nullptr || k < 1) return -1;
  try {
    const Tree& t = *static_cast<const Tree*>(tree);
    threads = workers(t.n, threads);
    std::vector<std::vector<float>> scratch(threads, std::vector<float>(max_leaf(t)));
    std::vector<std::vector<float>> heap_d(threads, std::vector<float>(k));
    std::vector<std::vector<int64_t>> heap_p(threads, std::vector<int64_t>(k));
    std::vector<std::vector<float>> offset(threads, std::vector<float>(t.dim));
    std::vector<std::vector<float>> query(threads, std::vector<float>(t.dim));
    const KnnFn search = kernels_for(t.dim).knn;
    parallel_for(t.n, threads, [&](int64_t i, int w) {
      Best best{heap_d[w].data(), heap_p[w].data(), k, 0, r2};
      std::fill(offset[w].begin(), offset[w].end(), 0.f);
      std::copy_n(t.points.data() + i * t.dim, t.dim, query[w].data());  // not aliased by the scratch
      search(t, 0, query[w].data(), i, best, scratch[w].data(), offset[w].data(), 0.f);
      const int64_t orig = t.perm[i];
      for (int s = 0; s < k; ++s) {
        const bool found = s < best.size;
        index[orig * k + s] = found ? t.perm[best.pos[s]] : -1;
        dist2[orig * k + s] = found ? best.d2[s] : INFINITY;
      }
      count[orig] = best.size;
    });
    return 0;
  } catch (...) {
    return -1;
  }
}

// For each of the m query points (original indices), the number of other points within r2.
int tg_kd_count(const void* tree, const int64_t* queries, int64_t m, float r2, int threads, int64_t* out) {
  if (tree == nullptr) return -1;
  try {
    const Tree& t = *static_cast<const Tree*>(tree);
    std::vector<int64_t> where(t.n);
    for (int64_t i = 0; i < t.n; ++i) where[t.perm[i]] = i;
    threads = workers(m, threads);
    std::vector<std::vector<float>> scratch(threads, std::vector<float>(max_leaf(t)));
    std::vector<std::vector<float>> offset(threads, std::vector<float>(t.dim));
    const CountFn count = kernels_for(t.dim).count;
    parallel_for(m, threads, [&](int64_t s, int w) {
      const int64_t i = where[queries[s]];
      std::fill(offset[w].begin(), offset[w].end(), 0.f);
      out[s] = count(t, 0, t.points.data() + i * t.dim, i, r2, scratch[w].data(), offset[w].data(), 0.f);
    });
    return 0;
  } catch (...) {
    return -1;
  }
}

}  // extern "C"

// A Python extension module only so that setuptools builds and installs it like any other;
// the functions above are reached through ctypes (which releases the GIL during the call).
static PyModuleDef kdknn_module = {PyModuleDef_HEAD_INIT, "_kdknn", "float32 k-d tree k-NN (ctypes entry points)",
                                   -1, nullptr, nullptr, nullptr, nullptr, nullptr};
PyMODINIT_FUNC PyInit__kdknn(void) { return PyModule_Create(&kdknn_module); }
