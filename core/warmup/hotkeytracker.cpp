#include "core/warmup/hotkeytracker.h"

#include "core/util/random.h"

#include <algorithm>
#include <bit>
#include <initializer_list>
#include <unordered_map>

namespace cachescope {

namespace {
bool hotter(const HotKey &a, const HotKey &b)
{
    return a.count != b.count ? a.count > b.count : a.key < b.key;
}
} // namespace

HotKeyTracker::HotKeyTracker(std::size_t capacity, std::uint64_t agingPeriod, unsigned sampleEvery)
    : m_capacity(std::clamp<std::size_t>(capacity, 1, std::size_t(1) << 30))
    , m_agingPeriod(agingPeriod)
    , m_sampleEvery(std::max(sampleEvery, 1u))
    , m_countdown(m_sampleEvery)
{
    m_nodes.reserve(m_capacity);
    m_heap.reserve(m_capacity);
    m_index.assign(std::bit_ceil(2 * m_capacity), kEmpty);
    m_mask = m_index.size() - 1;
}

std::size_t HotKeyTracker::home(std::int64_t key) const
{
    return std::size_t(hashKey(key)) & m_mask;
}

std::uint32_t HotKeyTracker::find(std::int64_t key) const
{
    for (std::size_t i = home(key);; i = (i + 1) & m_mask) {
        const std::uint32_t slot = m_index[i];
        if (slot == kEmpty || m_nodes[slot].hot.key == key)
            return slot;
    }
}

void HotKeyTracker::insertIndex(std::int64_t key, std::uint32_t slot)
{
    std::size_t i = home(key);
    while (m_index[i] != kEmpty)
        i = (i + 1) & m_mask;
    m_index[i] = slot;
}

void HotKeyTracker::eraseIndex(std::int64_t key)
{
    std::size_t i = home(key);
    while (m_nodes[m_index[i]].hot.key != key)
        i = (i + 1) & m_mask;
    // Backward shift: move later entries of the probe run into the hole when their home allows.
    for (std::size_t j = (i + 1) & m_mask;; j = (j + 1) & m_mask) {
        const std::uint32_t slot = m_index[j];
        if (slot == kEmpty)
            break;
        const std::size_t h = home(m_nodes[slot].hot.key);
        const bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
        if (movable) {
            m_index[i] = slot;
            i = j;
        }
    }
    m_index[i] = kEmpty;
}

void HotKeyTracker::add(std::int64_t key, std::uint64_t weight)
{
    if (weight == 0)
        return;
    m_observed += weight;
    if (const std::uint32_t slot = find(key); slot != kEmpty) {
        m_nodes[slot].hot.count += weight;
        siftDown(m_nodes[slot].heapPos);
    } else if (m_nodes.size() < m_capacity) {
        const auto fresh = std::uint32_t(m_nodes.size());
        m_nodes.push_back({{key, weight, 0}, std::uint32_t(m_heap.size())});
        m_heap.push_back(fresh);
        insertIndex(key, fresh);
        siftUp(m_nodes[fresh].heapPos);
    } else {
        // The least-counted key gives its counter up; the newcomer may have been seen that often
        // while untracked, which is its error.
        const std::uint32_t least = m_heap.front();
        HotKey &hot = m_nodes[least].hot;
        eraseIndex(hot.key);
        hot = {key, hot.count + weight, hot.count};
        insertIndex(key, least);
        siftDown(0);
    }
    if (m_agingPeriod > 0 && (m_sinceAging += weight) >= m_agingPeriod)
        age();
}

void HotKeyTracker::age()
{
    // Halving keeps the heap's order (x ≤ y ⇒ x/2 ≤ y/2): no re-heaping needed.
    m_sinceAging = 0;
    m_observed /= 2;
    for (Node &n : m_nodes) {
        n.hot.count /= 2;
        n.hot.error /= 2;
    }
}

void HotKeyTracker::clear()
{
    m_nodes.clear();
    m_heap.clear();
    std::fill(m_index.begin(), m_index.end(), kEmpty);
}

void HotKeyTracker::merge(const HotKeyTracker &other)
{
    std::unordered_map<std::int64_t, HotKey> all;
    all.reserve(m_nodes.size() + other.m_nodes.size());
    for (const std::vector<Node> *nodes : std::initializer_list<const std::vector<Node> *> {&m_nodes, &other.m_nodes}) {
        for (const Node &n : *nodes) {
            HotKey &sum = all.try_emplace(n.hot.key, HotKey {n.hot.key, 0, 0}).first->second;
            sum.count += n.hot.count;
            sum.error += n.hot.error;
        }
    }
    std::vector<HotKey> merged;
    merged.reserve(all.size());
    for (const auto &[key, k] : all)
        merged.push_back(k);
    if (merged.size() > m_capacity) {
        std::nth_element(merged.begin(), merged.begin() + std::ptrdiff_t(m_capacity), merged.end(), hotter);
        merged.resize(m_capacity);
    }
    const std::uint64_t observed = m_observed + other.m_observed;
    clear();
    for (const HotKey &k : merged) {
        const auto slot = std::uint32_t(m_nodes.size());
        m_nodes.push_back({k, std::uint32_t(m_heap.size())});
        m_heap.push_back(slot);
        insertIndex(k.key, slot);
        siftUp(m_nodes[slot].heapPos);
    }
    m_observed = observed;
}

std::vector<HotKey> HotKeyTracker::top(std::size_t n) const
{
    std::vector<HotKey> sorted;
    sorted.reserve(m_nodes.size());
    for (const Node &node : m_nodes)
        sorted.push_back(node.hot);
    n = std::min(n, sorted.size());
    std::partial_sort(sorted.begin(), sorted.begin() + std::ptrdiff_t(n), sorted.end(), hotter);
    sorted.resize(n);
    return sorted;
}

std::size_t HotKeyTracker::memoryBound() const
{
    return m_capacity * (sizeof(Node) + sizeof(std::uint32_t)) + m_index.size() * sizeof(std::uint32_t);
}

std::size_t HotKeyTracker::keysCovering(const std::vector<HotKey> &hot, std::uint64_t observed, double coverage)
{
    if (hot.empty() || observed == 0)
        return 0;
    const double want = coverage * double(observed);
    double covered = 0;
    for (std::size_t i = 0; i < hot.size(); ++i) {
        covered += double(hot[i].count - hot[i].error); // what the key surely had
        if (covered >= want)
            return i + 1;
    }
    return hot.size();
}

void HotKeyTracker::place(std::uint32_t pos, std::uint32_t slot)
{
    m_heap[pos] = slot;
    m_nodes[slot].heapPos = pos;
}

void HotKeyTracker::siftDown(std::uint32_t pos)
{
    // Min-heap on count: a grown count moves down towards the leaves.
    const auto n = std::uint32_t(m_heap.size());
    const std::uint32_t slot = m_heap[pos];
    const std::uint64_t count = m_nodes[slot].hot.count;
    for (;;) {
        const std::uint32_t l = 2 * pos + 1;
        if (l >= n)
            break;
        std::uint32_t child = l;
        if (l + 1 < n && m_nodes[m_heap[l + 1]].hot.count < m_nodes[m_heap[l]].hot.count)
            child = l + 1;
        if (m_nodes[m_heap[child]].hot.count >= count)
            break;
        place(pos, m_heap[child]);
        pos = child;
    }
    place(pos, slot);
}

void HotKeyTracker::siftUp(std::uint32_t pos)
{
    const std::uint32_t slot = m_heap[pos];
    const std::uint64_t count = m_nodes[slot].hot.count;
    while (pos > 0) {
        const std::uint32_t parent = (pos - 1) / 2;
        if (m_nodes[m_heap[parent]].hot.count <= count)
            break;
        place(pos, m_heap[parent]);
        pos = parent;
    }
    place(pos, slot);
}

} // namespace cachescope
