#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace cachescope {

/// A key and how often it was seen (an estimate: count − error ≤ true count ≤ count).
struct HotKey {
    std::int64_t key = 0; ///< the key
    std::uint64_t count = 0; ///< estimated accesses (after aging)
    std::uint64_t error = 0; ///< most the estimate may exceed the true count by

    bool operator==(const HotKey &) const = default;
};

/// The hottest keys of an access stream in bounded memory: Space-Saving (Metwally et al.) over a
/// fixed number of counters kept in a min-heap. A tracked key's hit adds to its counter; an
/// untracked key takes over the smallest counter (inheriting its count as error). Every key
/// whose true share exceeds 1 / capacity is tracked; on skewed (Zipf) streams the top few percent
/// of capacity are found almost exactly.
///
/// Aging: after every agingPeriod counted accesses all counts halve, so keys that were hot long ago
/// fade and new hot keys take their place. Sampling: with sampleEvery = s only every s-th
/// record() is counted (with weight 1), which keeps the read path's cost to a countdown.
///
/// Single writer: each engine thread records into its own tracker; merge() combines them.
class HotKeyTracker {
public:
    /// \a capacity counters (at least 1); aging after \a agingPeriod counted accesses (0 = never);
    /// every \a sampleEvery-th record() counted (at least 1).
    explicit HotKeyTracker(std::size_t capacity = 16384, std::uint64_t agingPeriod = 0, unsigned sampleEvery = 1);

    /// One access to \a key (sampled).
    void record(std::int64_t key)
    {
        if (--m_countdown != 0)
            return;
        m_countdown = m_sampleEvery;
        add(key, 1);
    }
    /// \a weight accesses to \a key, counted (not sampled).
    void add(std::int64_t key, std::uint64_t weight);
    /// Adds \a other's counters to this one's; the result keeps the capacity hottest.
    void merge(const HotKeyTracker &other);

    /// The \a n hottest keys (all tracked ones when n exceeds them), hottest first; ties by key.
    std::vector<HotKey> top(std::size_t n) const;
    /// Accesses counted so far (after aging): the denominator of a key's share.
    std::uint64_t observed() const { return m_observed; }
    std::size_t size() const { return m_heap.size(); }
    std::size_t capacity() const { return m_capacity; }
    unsigned sampleEvery() const { return m_sampleEvery; }
    /// Bytes the tracker can hold at most (counters and index), whatever the stream.
    std::size_t memoryBound() const;

    /// The smallest N whose hottest keys covered \a coverage (0 … 1] of the \a observed accesses,
    /// from a hottest-first list; hot.size() when they cover less. 0 for an empty list.
    static std::size_t keysCovering(const std::vector<HotKey> &hot, std::uint64_t observed, double coverage);

private:
    void siftDown(std::size_t i);
    void siftUp(std::size_t i);
    void swapNodes(std::size_t a, std::size_t b);
    void age();

    std::size_t m_capacity;
    std::uint64_t m_agingPeriod;
    unsigned m_sampleEvery;
    unsigned m_countdown;
    std::uint64_t m_sinceAging = 0;
    std::uint64_t m_observed = 0;
    std::vector<HotKey> m_heap; // min-heap by count
    std::unordered_map<std::int64_t, std::size_t> m_index; // key → heap position
};

} // namespace cachescope
