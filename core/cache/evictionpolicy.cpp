#include "core/cache/evictionpolicy.h"

#include <algorithm>
#include <array>
#include <bit>
#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {

// ---- intrusive lists over slots -------------------------------------------------------------

// prev/next links of every slot; each slot sits in at most one list of a policy at a time.
struct Links {
    std::vector<Slot> prev;
    std::vector<Slot> next;

    void ensure(Slot slot)
    {
        if (slot >= prev.size()) {
            const std::size_t size = std::max<std::size_t>(std::size_t(slot) + 1, prev.size() * 3 / 2 + 16);
            prev.resize(size, kNoSlot);
            next.resize(size, kNoSlot);
        }
    }
};

// A doubly linked list of slots: head = newest, tail = oldest.
struct SlotList {
    Slot head = kNoSlot;
    Slot tail = kNoSlot;
    std::size_t size = 0;

    void pushFront(Links &l, Slot s)
    {
        l.prev[s] = kNoSlot;
        l.next[s] = head;
        if (head != kNoSlot)
            l.prev[head] = s;
        head = s;
        if (tail == kNoSlot)
            tail = s;
        ++size;
    }
    void remove(Links &l, Slot s)
    {
        const Slot p = l.prev[s];
        const Slot n = l.next[s];
        (p != kNoSlot ? l.next[p] : head) = n;
        (n != kNoSlot ? l.prev[n] : tail) = p;
        l.prev[s] = l.next[s] = kNoSlot;
        --size;
    }
    void moveToFront(Links &l, Slot s)
    {
        if (head != s) {
            remove(l, s);
            pushFront(l, s);
        }
    }
};

template<typename T> void ensureSize(std::vector<T> &v, Slot slot, T fill = T {})
{
    if (slot >= v.size())
        v.resize(std::max<std::size_t>(std::size_t(slot) + 1, v.size() * 3 / 2 + 16), fill);
}

// ---- LRU and FIFO -----------------------------------------------------------------------------

// One queue, evicted from the back. LRU moves an entry to the front on every hit (exact LRU);
// FIFO keeps insertion order, so its hits change nothing.
class QueuePolicy final : public EvictionPolicy {
public:
    explicit QueuePolicy(bool reorderOnHit)
        : m_reorderOnHit(reorderOnHit)
    {
    }

    QString name() const override { return m_reorderOnHit ? u"lru"_s : u"fifo"_s; }
    void setCapacity(std::size_t) override { }
    void onInsert(Slot s, std::uint64_t) override
    {
        m_links.ensure(s);
        m_list.pushFront(m_links, s);
    }
    void onAccess(Slot s, std::uint64_t) override
    {
        if (m_reorderOnHit)
            m_list.moveToFront(m_links, s);
    }
    HitReporting hitReporting() const override { return m_reorderOnHit ? HitReporting::Ordered : HitReporting::None; }
    void onRemove(Slot s) override { m_list.remove(m_links, s); }
    Slot evict() override
    {
        const Slot victim = m_list.tail;
        if (victim != kNoSlot)
            m_list.remove(m_links, victim);
        return victim;
    }
    std::size_t bytesPerEntry() const override { return 2 * sizeof(Slot); }

private:
    bool m_reorderOnHit;
    Links m_links;
    SlotList m_list;
};

// ---- SIEVE (Zhang et al., NSDI '24) ------------------------------------------------------------

// A FIFO queue with one "visited" bit per entry and a hand that moves from the oldest entry
// towards the newest, clearing visited bits, and evicts the first unvisited entry it meets.
// New entries go to the head; survivors stay in place (no reordering on hits).
class SievePolicy final : public EvictionPolicy {
public:
    QString name() const override { return u"sieve"_s; }
    void setCapacity(std::size_t) override { }
    void onInsert(Slot s, std::uint64_t) override
    {
        m_links.ensure(s);
        ensureSize<std::uint8_t>(m_visited, s);
        m_visited[s] = 0;
        m_list.pushFront(m_links, s);
    }
    void onAccess(Slot s, std::uint64_t) override { m_visited[s] = 1; }
    HitReporting hitReporting() const override { return HitReporting::Counted; }
    std::uint8_t hitLimit() const override { return 1; }
    void onRemove(Slot s) override
    {
        if (m_hand == s)
            m_hand = m_links.prev[s];
        m_list.remove(m_links, s);
    }
    Slot evict() override
    {
        if (m_list.size == 0)
            return kNoSlot;
        Slot s = m_hand != kNoSlot ? m_hand : m_list.tail;
        for (;;) {
            // Hits counted in the entry and hits told through onAccess() count alike; taking
            // the former clears them, so each is seen once.
            const bool counted = m_hits.take(s) > 0;
            if (!counted && !m_visited[s])
                break;
            m_visited[s] = 0;
            s = m_links.prev[s];
            if (s == kNoSlot)
                s = m_list.tail;
        }
        m_hand = m_links.prev[s];
        m_list.remove(m_links, s);
        return s;
    }
    std::size_t bytesPerEntry() const override { return 2 * sizeof(Slot) + 1; }

private:
    Links m_links;
    SlotList m_list;
    std::vector<std::uint8_t> m_visited;
    Slot m_hand = kNoSlot;
};

// ---- S3-FIFO (Yang et al., SOSP '23) -----------------------------------------------------------

// A FIFO of key hashes that were evicted recently, with O(1) membership and removal (lazy).
class GhostQueue {
public:
    void setCapacity(std::size_t capacity)
    {
        m_capacity = capacity;
        trim();
    }
    /// Records \a hash (no change when already present).
    void insert(std::uint64_t hash)
    {
        if (m_capacity == 0 || m_live.contains(hash))
            return;
        m_live.emplace(hash, ++m_sequence);
        m_order.emplace_back(hash, m_sequence);
        trim();
    }
    /// Removes \a hash; true when it was there.
    bool take(std::uint64_t hash) { return m_live.erase(hash) > 0; }
    std::size_t size() const { return m_live.size(); }

private:
    void trim()
    {
        while (m_live.size() > m_capacity && !m_order.empty()) {
            const auto [hash, seq] = m_order.front();
            m_order.pop_front();
            if (const auto it = m_live.find(hash); it != m_live.end() && it->second == seq)
                m_live.erase(it);
        }
        // Drop stale records so the deque stays proportional to the live set.
        while (!m_order.empty() && m_order.size() > 2 * m_live.size() + 16) {
            const auto [hash, seq] = m_order.front();
            const auto it = m_live.find(hash);
            if (it != m_live.end() && it->second == seq)
                break;
            m_order.pop_front();
        }
    }

    std::size_t m_capacity = 0;
    std::uint64_t m_sequence = 0;
    std::unordered_map<std::uint64_t, std::uint64_t> m_live; // hash → sequence of its record
    std::deque<std::pair<std::uint64_t, std::uint64_t>> m_order;
};

// Small FIFO (10 % of the capacity) for new entries, main FIFO for entries seen at least twice,
// a ghost FIFO (90 %) of keys recently evicted from small: a key found there goes straight to
// main. Per-entry 2-bit access counter; main reinserts entries with a non-zero counter.
class S3FifoPolicy final : public EvictionPolicy {
public:
    static constexpr std::uint8_t kMoveToMain = 2; // accesses in small that earn a place in main
    static constexpr std::uint8_t kMaxFrequency = 3;

    explicit S3FifoPolicy(std::size_t capacity) { setCapacity(capacity); }

    QString name() const override { return u"s3fifo"_s; }
    void setCapacity(std::size_t capacity) override
    {
        m_smallCapacity = capacity / 10;
        if (m_smallCapacity == 0 && capacity > 1)
            m_smallCapacity = 1;
        m_mainCapacity = capacity - std::min(capacity, m_smallCapacity);
        m_ghost.setCapacity(capacity * 9 / 10);
    }
    void onMiss(std::uint64_t hash) override { m_ghostHit = m_ghost.take(hash); }
    void onInsert(Slot s, std::uint64_t hash) override
    {
        m_links.ensure(s);
        ensureSize<std::uint8_t>(m_frequency, s);
        ensureSize<std::uint8_t>(m_queue, s);
        ensureSize<std::uint64_t>(m_hash, s);
        m_frequency[s] = 0;
        m_hash[s] = hash;
        // A key evicted from small not long ago has proved itself: straight to main.
        if (std::exchange(m_ghostHit, false))
            push(kMain, s);
        else
            push(kSmall, s);
    }
    void onAccess(Slot s, std::uint64_t) override
    {
        m_frequency[s] = std::uint8_t(std::min<int>(m_frequency[s] + 1, kMaxFrequency));
    }
    HitReporting hitReporting() const override { return HitReporting::Counted; }
    std::uint8_t hitLimit() const override { return kMaxFrequency; }
    void onRemove(Slot s) override { list(m_queue[s]).remove(m_links, s); }
    Slot evict() override
    {
        if (m_main.size <= m_mainCapacity && m_small.size > 0) {
            if (const Slot victim = evictSmall(); victim != kNoSlot)
                return victim;
        }
        return evictMain();
    }
    std::size_t bytesPerEntry() const override { return 2 * sizeof(Slot) + 2 + sizeof(std::uint64_t); }

private:
    enum Queue : std::uint8_t { kSmall, kMain };
    SlotList &list(std::uint8_t q) { return q == kSmall ? m_small : m_main; }
    // The count with the hits counted outside folded in (both saturate at kMaxFrequency).
    std::uint8_t frequency(Slot s)
    {
        m_frequency[s] = std::uint8_t(std::min<int>(m_frequency[s] + m_hits.take(s), kMaxFrequency));
        return m_frequency[s];
    }
    void push(Queue q, Slot s)
    {
        m_queue[s] = q;
        list(q).pushFront(m_links, s);
    }
    Slot evictSmall()
    {
        while (m_small.size > 0) {
            const Slot s = m_small.tail;
            m_small.remove(m_links, s);
            if (frequency(s) >= kMoveToMain) {
                m_frequency[s] = 0;
                push(kMain, s);
            } else {
                m_ghost.insert(m_hash[s]);
                return s;
            }
        }
        return kNoSlot;
    }
    Slot evictMain()
    {
        while (m_main.size > 0) {
            const Slot s = m_main.tail;
            m_main.remove(m_links, s);
            if (frequency(s) >= 1) {
                m_frequency[s] = std::uint8_t(m_frequency[s] - 1);
                push(kMain, s);
            } else {
                return s;
            }
        }
        // Main is empty: fall back to the small queue's oldest entry.
        if (m_small.size > 0) {
            const Slot s = m_small.tail;
            m_small.remove(m_links, s);
            m_ghost.insert(m_hash[s]);
            return s;
        }
        return kNoSlot;
    }

    Links m_links;
    SlotList m_small;
    SlotList m_main;
    GhostQueue m_ghost;
    std::vector<std::uint8_t> m_frequency;
    std::vector<std::uint8_t> m_queue;
    std::vector<std::uint64_t> m_hash;
    std::size_t m_smallCapacity = 0;
    std::size_t m_mainCapacity = 0;
    bool m_ghostHit = false; // the key being inserted was found in the ghost at miss time
};

// ---- W-TinyLFU (Einziger, Friedman, Manes, TOS '17) ---------------------------------------------

// Count-min sketch with 4-bit counters (saturating at 15), 4 rows, halved after a sample of
// 10 × capacity increments so that old popularity fades. The rows are one array, and increment()
// loads all four counters before it stores any, without a branch: a byte store may alias
// anything, so a store between two loads made the compiler reload the rows and the mask each
// time (onAccess timed alone: ~20 → ~15 ns, docs/benchmarks.md).
class FrequencySketch {
public:
    static constexpr std::uint8_t kMaxCount = 15;
    static constexpr std::size_t kRows = 4;

    void setCapacity(std::size_t capacity)
    {
        // Four counters per entry and row (as Caffeine's 16 four-bit counters per entry): fewer
        // collisions between a candidate and the victim it is compared with.
        const std::size_t width = std::bit_ceil(4 * std::max<std::size_t>(capacity, 16));
        m_mask = width - 1;
        m_table.assign(kRows * width, 0);
        m_sampleSize = 10 * std::max<std::size_t>(capacity, 16);
        m_additions = 0;
    }
    void increment(std::uint64_t hash)
    {
        std::uint8_t *const table = m_table.data();
        std::array<std::size_t, kRows> at;
        std::array<unsigned, kRows> counter;
        for (std::size_t row = 0; row < kRows; ++row) {
            at[row] = position(hash, row, m_mask);
            counter[row] = table[at[row]];
        }
        unsigned added = 0;
        for (std::size_t row = 0; row < kRows; ++row) {
            const unsigned below = counter[row] < kMaxCount ? 1 : 0;
            table[at[row]] = std::uint8_t(counter[row] + below);
            added |= below;
        }
        if (added != 0 && ++m_additions >= m_sampleSize)
            age();
    }
    int estimate(std::uint64_t hash) const
    {
        int frequency = kMaxCount;
        for (std::size_t row = 0; row < kRows; ++row)
            frequency = std::min<int>(frequency, m_table[position(hash, row, m_mask)]);
        return frequency;
    }

private:
    // The counter of \a hash in \a row: its index in the table.
    static std::size_t position(std::uint64_t hash, std::size_t row, std::size_t mask)
    {
        static constexpr std::array<std::uint64_t, kRows> kSeeds {
            0xc3a5c85c97cb3127ULL, 0xb492b66fbe98f273ULL, 0x9ae16a3b2f90404fULL, 0xcbf29ce484222325ULL};
        std::uint64_t h = (hash ^ kSeeds[row]) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
        return row * (mask + 1) + (std::size_t(h) & mask);
    }
    void age()
    {
        for (auto &counter : m_table)
            counter = std::uint8_t(counter >> 1);
        m_additions /= 2;
    }

    std::vector<std::uint8_t> m_table; // kRows rows of mask + 1 counters
    std::size_t m_mask = 0;
    std::size_t m_sampleSize = 0;
    std::size_t m_additions = 0;
};

// A small LRU window (1 % of the capacity) admits every new entry; what leaves the window enters
// the main segmented LRU (probation 20 %, protected 80 %) only if the sketch says it is used
// more often than the entry main would evict for it.
class WTinyLfuPolicy final : public EvictionPolicy {
public:
    explicit WTinyLfuPolicy(std::size_t capacity) { setCapacity(capacity); }

    QString name() const override { return u"wtinylfu"_s; }
    void setCapacity(std::size_t capacity) override
    {
        m_windowCapacity = capacity >= 2 ? std::max<std::size_t>(1, capacity / 100) : 0;
        m_mainCapacity = capacity - m_windowCapacity;
        m_protectedCapacity = m_mainCapacity * 4 / 5;
        m_capacity = capacity;
        // The sketch follows what the tier holds, not what it may hold (as Caffeine's grows):
        // sized now only when first made or when the capacity falls below it; onInsert grows it.
        if (m_sketchCapacity == 0 || m_sketchCapacity > capacity)
            resizeSketch(std::min(capacity, std::max(kFirstSketch, std::bit_ceil(residents()))));
        while (m_protected.size > m_protectedCapacity)
            demoteProtectedTail();
    }
    void onInsert(Slot s, std::uint64_t hash) override
    {
        m_links.ensure(s);
        ensureSize<std::uint8_t>(m_segment, s);
        ensureSize<std::uint64_t>(m_hash, s);
        m_hash[s] = hash;
        if (residents() >= m_sketchCapacity && m_sketchCapacity < m_capacity)
            resizeSketch(std::min(m_capacity, 2 * m_sketchCapacity));
        m_sketch.increment(hash);
        push(m_windowCapacity > 0 ? kWindow : kProbation, s);
        // While main has room, what overflows the window moves in without a contest.
        while (m_window.size > m_windowCapacity && mainSize() < m_mainCapacity)
            move(m_window.tail, kProbation);
    }
    void onAccess(Slot s, std::uint64_t hash) override
    {
        m_sketch.increment(hash);
        switch (m_segment[s]) {
        case kWindow:
            m_window.moveToFront(m_links, s);
            break;
        case kProbation:
            move(s, kProtected);
            while (m_protected.size > m_protectedCapacity)
                demoteProtectedTail();
            break;
        default:
            m_protected.moveToFront(m_links, s);
        }
    }
    void onRemove(Slot s) override { list(m_segment[s]).remove(m_links, s); }
    Slot evict() override
    {
        // Called before an insert: the window's oldest entry is about to be pushed out when the
        // window is full, so it competes with main's victim now.
        if (m_window.size > 0 && (m_window.size >= m_windowCapacity || mainSize() == 0)) {
            const Slot candidate = m_window.tail;
            if (mainSize() < m_mainCapacity) {
                move(candidate, kProbation);
                return evict();
            }
            const Slot victim = m_probation.size > 0 ? m_probation.tail : m_protected.tail;
            if (m_sketch.estimate(m_hash[candidate]) > m_sketch.estimate(m_hash[victim])) {
                list(m_segment[victim]).remove(m_links, victim);
                move(candidate, kProbation);
                return victim;
            }
            m_window.remove(m_links, candidate);
            return candidate;
        }
        for (SlotList *l : {&m_probation, &m_protected, &m_window}) {
            if (l->size > 0) {
                const Slot victim = l->tail;
                l->remove(m_links, victim);
                return victim;
            }
        }
        return kNoSlot;
    }
    std::size_t bytesPerEntry() const override { return 2 * sizeof(Slot) + 1 + sizeof(std::uint64_t); }

private:
    enum Segment : std::uint8_t { kWindow, kProbation, kProtected };
    SlotList &list(std::uint8_t segment)
    {
        return segment == kWindow ? m_window : (segment == kProbation ? m_probation : m_protected);
    }
    std::size_t mainSize() const { return m_probation.size + m_protected.size; }
    std::size_t residents() const { return m_window.size + mainSize(); }
    // A new table starts its counts afresh, as Caffeine's does when it grows: only while the
    // tier fills (each doubling) or after a live capacity cut below it.
    void resizeSketch(std::size_t capacity)
    {
        m_sketch.setCapacity(capacity);
        m_sketchCapacity = capacity;
    }
    void push(Segment segment, Slot s)
    {
        m_segment[s] = segment;
        list(segment).pushFront(m_links, s);
    }
    void move(Slot s, Segment to)
    {
        list(m_segment[s]).remove(m_links, s);
        push(to, s);
    }
    void demoteProtectedTail() { move(m_protected.tail, kProbation); }

    Links m_links;
    SlotList m_window;
    SlotList m_probation;
    SlotList m_protected;
    FrequencySketch m_sketch;
    std::vector<std::uint8_t> m_segment;
    std::vector<std::uint64_t> m_hash;
    std::size_t m_windowCapacity = 0;
    std::size_t m_mainCapacity = 0;
    std::size_t m_protectedCapacity = 0;
    std::size_t m_capacity = 0;
    std::size_t m_sketchCapacity = 0; // entries the sketch is sized for: ≤ m_capacity
    static constexpr std::size_t kFirstSketch = 1024; // smaller tiers get their full sketch at once
};

} // namespace

std::unique_ptr<EvictionPolicy> EvictionPolicy::create(const QString &name, std::size_t capacity)
{
    if (name == u"lru"_s)
        return std::make_unique<QueuePolicy>(true);
    if (name == u"fifo"_s)
        return std::make_unique<QueuePolicy>(false);
    if (name == u"sieve"_s)
        return std::make_unique<SievePolicy>();
    if (name == u"s3fifo"_s)
        return std::make_unique<S3FifoPolicy>(capacity);
    if (name == u"wtinylfu"_s)
        return std::make_unique<WTinyLfuPolicy>(capacity);
    return nullptr;
}

QStringList EvictionPolicy::names()
{
    return {u"lru"_s, u"s3fifo"_s, u"wtinylfu"_s, u"sieve"_s, u"fifo"_s};
}

} // namespace cachescope
