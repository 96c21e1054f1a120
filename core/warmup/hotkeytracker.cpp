#include "core/warmup/hotkeytracker.h"

#include <algorithm>
#include <initializer_list>

namespace cachescope {

HotKeyTracker::HotKeyTracker(std::size_t capacity, std::uint64_t agingPeriod, unsigned sampleEvery)
    : m_capacity(std::max<std::size_t>(capacity, 1))
    , m_agingPeriod(agingPeriod)
    , m_sampleEvery(std::max(sampleEvery, 1u))
    , m_countdown(m_sampleEvery)
{
    m_heap.reserve(m_capacity);
    m_index.reserve(m_capacity);
}

void HotKeyTracker::add(std::int64_t key, std::uint64_t weight)
{
    if (weight == 0)
        return;
    m_observed += weight;
    if (const auto it = m_index.find(key); it != m_index.end()) {
        const std::size_t i = it->second;
        m_heap[i].count += weight;
        siftDown(i);
    } else if (m_heap.size() < m_capacity) {
        m_heap.push_back({key, weight, 0});
        m_index.emplace(key, m_heap.size() - 1);
        siftUp(m_heap.size() - 1);
    } else {
        // The least-counted key gives its counter up; the newcomer may have been seen that often
        // while untracked, which is its error.
        HotKey &least = m_heap.front();
        m_index.erase(least.key);
        least = {key, least.count + weight, least.count};
        m_index.emplace(key, 0);
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
    for (HotKey &k : m_heap) {
        k.count /= 2;
        k.error /= 2;
    }
}

void HotKeyTracker::merge(const HotKeyTracker &other)
{
    std::unordered_map<std::int64_t, HotKey> all;
    all.reserve(m_heap.size() + other.m_heap.size());
    for (const std::vector<HotKey> *heap :
        std::initializer_list<const std::vector<HotKey> *> {&m_heap, &other.m_heap}) {
        for (const HotKey &k : *heap) {
            HotKey &sum = all.try_emplace(k.key, HotKey {k.key, 0, 0}).first->second;
            sum.count += k.count;
            sum.error += k.error;
        }
    }
    std::vector<HotKey> merged;
    merged.reserve(all.size());
    for (const auto &[key, k] : all)
        merged.push_back(k);
    const auto hotter
        = [](const HotKey &a, const HotKey &b) { return a.count != b.count ? a.count > b.count : a.key < b.key; };
    if (merged.size() > m_capacity) {
        std::nth_element(merged.begin(), merged.begin() + std::ptrdiff_t(m_capacity), merged.end(), hotter);
        merged.resize(m_capacity);
    }
    m_observed += other.m_observed;
    m_heap = std::move(merged);
    std::make_heap(m_heap.begin(), m_heap.end(), hotter); // hotter-as-less: front is the least counted
    m_index.clear();
    for (std::size_t i = 0; i < m_heap.size(); ++i)
        m_index.emplace(m_heap[i].key, i);
}

std::vector<HotKey> HotKeyTracker::top(std::size_t n) const
{
    std::vector<HotKey> sorted = m_heap;
    const auto hotter
        = [](const HotKey &a, const HotKey &b) { return a.count != b.count ? a.count > b.count : a.key < b.key; };
    n = std::min(n, sorted.size());
    std::partial_sort(sorted.begin(), sorted.begin() + std::ptrdiff_t(n), sorted.end(), hotter);
    sorted.resize(n);
    return sorted;
}

std::size_t HotKeyTracker::memoryBound() const
{
    // Heap slots, plus the index's nodes (key, position, next pointer, hash) and its buckets.
    const std::size_t node = sizeof(void *) + sizeof(std::int64_t) + sizeof(std::size_t) + sizeof(std::size_t);
    return m_capacity * (sizeof(HotKey) + node + sizeof(void *));
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

void HotKeyTracker::swapNodes(std::size_t a, std::size_t b)
{
    std::swap(m_heap[a], m_heap[b]);
    m_index[m_heap[a].key] = a;
    m_index[m_heap[b].key] = b;
}

void HotKeyTracker::siftDown(std::size_t i)
{
    // Min-heap on count: a grown count moves down towards the leaves.
    const std::size_t n = m_heap.size();
    for (;;) {
        const std::size_t l = 2 * i + 1, r = l + 1;
        std::size_t least = i;
        if (l < n && m_heap[l].count < m_heap[least].count)
            least = l;
        if (r < n && m_heap[r].count < m_heap[least].count)
            least = r;
        if (least == i)
            return;
        swapNodes(i, least);
        i = least;
    }
}

void HotKeyTracker::siftUp(std::size_t i)
{
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (m_heap[parent].count <= m_heap[i].count)
            return;
        swapNodes(i, parent);
        i = parent;
    }
}

} // namespace cachescope
