#pragma once

#include <cstdint>
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
    std::size_t size() const { return m_nodes.size(); }
    std::size_t capacity() const { return m_capacity; }
    unsigned sampleEvery() const { return m_sampleEvery; }
    /// Bytes the tracker can hold at most (counters and index), whatever the stream.
    std::size_t memoryBound() const;

    /// The smallest N whose hottest keys covered \a coverage (0 … 1] of the \a observed accesses,
    /// from a hottest-first list; hot.size() when they cover less. 0 for an empty list.
    static std::size_t keysCovering(const std::vector<HotKey> &hot, std::uint64_t observed, double coverage);

private:
    static constexpr std::uint32_t kEmpty = 0xffffffffu;
    // Flat storage, no allocation after construction: counters in m_nodes (a key keeps its slot
    // while tracked), a min-heap of slots by count, and an open-addressing index key → slot
    // (linear probing, backward-shift deletion) at most half full.
    struct Node {
        HotKey hot;
        std::uint32_t heapPos = 0;
    };
    std::uint32_t find(std::int64_t key) const;
    void insertIndex(std::int64_t key, std::uint32_t slot);
    void eraseIndex(std::int64_t key);
    std::size_t home(std::int64_t key) const;
    void siftDown(std::uint32_t pos);
    void siftUp(std::uint32_t pos);
    void place(std::uint32_t pos, std::uint32_t slot);
    void age();
    void clear();

    std::size_t m_capacity;
    std::uint64_t m_agingPeriod;
    unsigned m_sampleEvery;
    unsigned m_countdown;
    std::uint64_t m_sinceAging = 0;
    std::uint64_t m_observed = 0;
    std::vector<Node> m_nodes; // by slot
    std::vector<std::uint32_t> m_heap; // slots, min-heap by count
    std::vector<std::uint32_t> m_index; // open addressing: slot or kEmpty
    std::size_t m_mask = 0;
};

} // namespace cachescope
