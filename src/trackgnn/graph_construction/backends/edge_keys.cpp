// Oriented edge keys of neighbour pairs, in one pass: the numpy version of
// trackgnn.graph_construction.edges.clean_edges makes ten temporaries of the pair count
// (masks, gathers, swaps), ~150 MB on a full-size event, which a new process pays for in
// page faults as much as in arithmetic. Part of the _kdknn extension, reached through ctypes.

#include <cstdint>

extern "C" {

// For each pair p: drop it when src == dst or module[src] == module[dst]; otherwise orient
// it from the endpoint of lower rank to the other and write ((a << 32) | b) to keys.
// Returns the number of keys written (at most n_pairs), or -1 - p when pair p names a node
// outside [0, n_nodes) (nothing is read out of bounds).
int64_t tg_edge_keys(const int64_t* src, const int64_t* dst, int64_t n_pairs, const int64_t* module,
                     const int32_t* rank, int64_t n_nodes, int64_t* keys) {
  int64_t out = 0;
  for (int64_t p = 0; p < n_pairs; ++p) {
    const int64_t s = src[p], d = dst[p];
    if (uint64_t(s) >= uint64_t(n_nodes) || uint64_t(d) >= uint64_t(n_nodes)) return -1 - p;
    if (s == d || module[s] == module[d]) continue;
    const bool swap = rank[s] > rank[d];
    const int64_t a = swap ? d : s, b = swap ? s : d;
    keys[out++] = (a << 32) | b;
  }
  return out;
}

}  // extern "C"
