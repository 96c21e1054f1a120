#pragma once

// Simple, independent simulators of every eviction policy CacheScope has, written from the rules
// (the papers' pseudo-code and the parameters of ../shared/traces/README.md), over std::list and
// std::unordered_map: slow and obvious, so that the tests can compare the real policies with them
// request by request and eviction by eviction. They share no code with core/cache.
//
// Every simulator: access(key) returns true on a hit; on a miss it inserts the key and appends
// what it evicted to `evicted` (each simulator evicts before it inserts, as the tier does).
#include "core/util/random.h"

#include <QString>

#include <algorithm>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace reference {

using Key = std::int64_t;

class Simulator {
public:
    virtual ~Simulator() = default;
    virtual bool access(Key key, std::vector<Key> &evicted) = 0;
};

// A list of keys, newest at the front, with O(1) find and erase.
class KeyList {
public:
    bool contains(Key k) const { return m_at.contains(k); }
    std::size_t size() const { return m_at.size(); }
    void pushFront(Key k) { m_at[k] = m_keys.insert(m_keys.begin(), k); }
    void erase(Key k)
    {
        m_keys.erase(m_at.at(k));
        m_at.erase(k);
    }
    void toFront(Key k)
    {
        erase(k);
        pushFront(k);
    }
    Key back() const { return m_keys.back(); }
    Key popBack()
    {
        const Key k = m_keys.back();
        erase(k);
        return k;
    }
    // The key one step towards the front from k (nullptr at the front).
    const Key *newer(Key k) const
    {
        auto it = m_at.at(k);
        return it == m_keys.begin() ? nullptr : &*std::prev(it);
    }

private:
    std::list<Key> m_keys;
    std::unordered_map<Key, std::list<Key>::iterator> m_at;
};

// LRU (reorder on hit) and FIFO (no reorder).
class Queue final : public Simulator {
public:
    Queue(std::size_t capacity, bool lru)
        : m_capacity(capacity)
        , m_lru(lru)
    {
    }
    bool access(Key k, std::vector<Key> &evicted) override
    {
        if (m_list.contains(k)) {
            if (m_lru)
                m_list.toFront(k);
            return true;
        }
        if (m_capacity == 0)
            return false;
        if (m_list.size() == m_capacity)
            evicted.push_back(m_list.popBack());
        m_list.pushFront(k);
        return false;
    }

private:
    std::size_t m_capacity;
    bool m_lru;
    KeyList m_list;
};

// SIEVE (Zhang et al., NSDI '24, Algorithm 1): a FIFO with a visited bit; the hand walks from
// the tail towards the head, clearing bits, and evicts the first unvisited object; it stays
// where it stopped (at the evicted object's newer neighbour) for the next eviction.
class Sieve final : public Simulator {
public:
    explicit Sieve(std::size_t capacity)
        : m_capacity(capacity)
    {
    }
    bool access(Key k, std::vector<Key> &evicted) override
    {
        if (m_list.contains(k)) {
            m_visited[k] = true;
            return true;
        }
        if (m_capacity == 0)
            return false;
        if (m_list.size() == m_capacity) {
            Key at = m_hand ? *m_hand : m_list.back();
            while (m_visited[at]) {
                m_visited[at] = false;
                const Key *next = m_list.newer(at);
                at = next ? *next : m_list.back();
            }
            const Key *next = m_list.newer(at);
            m_hand = next ? std::make_unique<Key>(*next) : nullptr;
            m_list.erase(at);
            m_visited.erase(at);
            evicted.push_back(at);
        }
        m_list.pushFront(k);
        m_visited[k] = false;
        return false;
    }

private:
    std::size_t m_capacity;
    KeyList m_list;
    std::unordered_map<Key, bool> m_visited;
    std::unique_ptr<Key> m_hand; // null: start from the tail
};

// S3-FIFO (Yang et al., SOSP '23, Algorithm 1) with the parameters of the reference runs: small
// queue 10 % of the capacity (at least 1), main the rest, ghost 90 %; a 2-bit frequency per
// object; an object leaves small for main after 2 accesses (its count restarts there), main
// reinserts an object with a non-zero count (one less), a miss found in ghost goes to main.
// Small is evicted from while main holds no more than its share.
class S3Fifo final : public Simulator {
public:
    explicit S3Fifo(std::size_t capacity)
        : m_capacity(capacity)
    {
        m_smallCapacity = std::max<std::size_t>(capacity / 10, capacity > 1 ? 1 : 0);
        m_mainCapacity = capacity - std::min(capacity, m_smallCapacity);
        m_ghostCapacity = capacity * 9 / 10;
    }
    bool access(Key k, std::vector<Key> &evicted) override
    {
        if (m_small.contains(k) || m_main.contains(k)) {
            m_freq[k] = std::min(m_freq[k] + 1, 3);
            return true;
        }
        if (m_capacity == 0)
            return false;
        const bool ghostHit = m_ghost.contains(k);
        if (ghostHit)
            m_ghost.erase(k);
        if (m_small.size() + m_main.size() == m_capacity)
            evicted.push_back(evict());
        m_freq[k] = 0;
        (ghostHit ? m_main : m_small).pushFront(k);
        return false;
    }

private:
    Key evict()
    {
        if (m_main.size() <= m_mainCapacity) {
            while (m_small.size() > 0) {
                const Key t = m_small.popBack();
                if (m_freq[t] >= 2) {
                    m_freq[t] = 0;
                    m_main.pushFront(t);
                } else {
                    toGhost(t);
                    return t;
                }
            }
        }
        while (m_main.size() > 0) {
            const Key t = m_main.popBack();
            if (m_freq[t] > 0) {
                --m_freq[t];
                m_main.pushFront(t);
            } else {
                m_freq.erase(t);
                return t;
            }
        }
        const Key t = m_small.popBack();
        toGhost(t);
        return t;
    }
    void toGhost(Key t)
    {
        m_freq.erase(t);
        if (m_ghostCapacity == 0 || m_ghost.contains(t))
            return;
        m_ghost.pushFront(t);
        if (m_ghost.size() > m_ghostCapacity)
            m_ghost.popBack();
    }

    std::size_t m_capacity, m_smallCapacity, m_mainCapacity, m_ghostCapacity;
    KeyList m_small, m_main, m_ghost;
    std::unordered_map<Key, int> m_freq;
};

// A count-min sketch of the policy's shape, so that its estimates — collisions included — are
// the policy's: 4 rows of 4 × max(capacity, 16) (rounded up to a power of two) 4-bit counters,
// each row indexed by the key's hash mixed with the row's seed; an increment raises every row's
// counter below 15 and counts once if any rose; all counters halve after 10 × max(capacity, 16)
// counted increments. The estimate is the smallest of the four.
class Sketch {
public:
    explicit Sketch(std::size_t capacity)
    {
        std::size_t width = 1;
        while (width < 4 * std::max<std::size_t>(capacity, 16))
            width *= 2;
        m_width = width;
        m_rows.assign(4, std::vector<int>(width, 0));
        m_sample = 10 * std::max<std::size_t>(capacity, 16);
    }
    void increment(Key k)
    {
        bool rose = false;
        for (std::size_t row = 0; row < 4; ++row) {
            int &c = m_rows[row][column(k, row)];
            if (c < 15) {
                ++c;
                rose = true;
            }
        }
        if (rose && ++m_additions >= m_sample) {
            for (auto &r : m_rows) {
                for (int &c : r)
                    c /= 2;
            }
            m_additions /= 2;
        }
    }
    int estimate(Key k) const
    {
        int e = 15;
        for (std::size_t row = 0; row < 4; ++row)
            e = std::min(e, m_rows[row][column(k, row)]);
        return e;
    }

private:
    std::size_t column(Key k, std::size_t row) const
    {
        static constexpr std::uint64_t kSeeds[4]
            = {0xc3a5c85c97cb3127ULL, 0xb492b66fbe98f273ULL, 0x9ae16a3b2f90404fULL, 0xcbf29ce484222325ULL};
        std::uint64_t h = (cachescope::hashKey(k) ^ kSeeds[row]) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
        return std::size_t(h) & (m_width - 1);
    }
    std::size_t m_width = 0;
    std::size_t m_sample = 0;
    std::size_t m_additions = 0;
    std::vector<std::vector<int>> m_rows;
};

// W-TinyLFU (Einziger, Friedman, Manes, TOS '17). Window LRU of max(1, 1 %) entries (none below
// 2), main SLRU with protected 80 % of main; every access and insert counts in the sketch. New
// keys enter the window; while main has room what leaves the window goes to probation; when
// full, the window's oldest competes with main's victim (probation's oldest, else protected's)
// and wins only with a strictly higher estimate. A hit in probation promotes to protected, whose
// overflow is demoted to probation's front.
class WTinyLfu final : public Simulator {
public:
    explicit WTinyLfu(std::size_t capacity)
        : m_capacity(capacity)
    {
        m_windowCapacity = capacity >= 2 ? std::max<std::size_t>(1, capacity / 100) : 0;
        m_mainCapacity = capacity - m_windowCapacity;
        m_protectedCapacity = m_mainCapacity * 4 / 5;
    }
    bool access(Key k, std::vector<Key> &evicted) override
    {
        if (m_window.contains(k) || m_probation.contains(k) || m_protected.contains(k)) {
            count(k);
            if (m_window.contains(k)) {
                m_window.toFront(k);
            } else if (m_probation.contains(k)) {
                m_probation.erase(k);
                m_protected.pushFront(k);
                while (m_protected.size() > m_protectedCapacity)
                    m_probation.pushFront(m_protected.popBack());
            } else {
                m_protected.toFront(k);
            }
            return true;
        }
        if (m_capacity == 0)
            return false;
        if (m_window.size() + mainSize() == m_capacity)
            evicted.push_back(evict());
        count(k);
        (m_windowCapacity > 0 ? m_window : m_probation).pushFront(k);
        while (m_window.size() > m_windowCapacity && mainSize() < m_mainCapacity)
            m_probation.pushFront(m_window.popBack());
        return false;
    }

private:
    std::size_t mainSize() const { return m_probation.size() + m_protected.size(); }
    Key evict()
    {
        if (m_window.size() > 0 && (m_window.size() >= m_windowCapacity || mainSize() == 0)) {
            if (mainSize() < m_mainCapacity) { // main has room: no contest yet
                m_probation.pushFront(m_window.popBack());
                return evict();
            }
            const Key candidate = m_window.back();
            KeyList &main = m_probation.size() > 0 ? m_probation : m_protected;
            const Key victim = main.back();
            if (m_sketch.estimate(candidate) > m_sketch.estimate(victim)) {
                main.erase(victim);
                m_window.erase(candidate);
                m_probation.pushFront(candidate);
                return victim;
            }
            m_window.erase(candidate);
            return candidate;
        }
        for (KeyList *l : {&m_probation, &m_protected, &m_window}) {
            if (l->size() > 0)
                return l->popBack();
        }
        throw std::logic_error("evict from an empty cache");
    }
    void count(Key k) { m_sketch.increment(k); }

    std::size_t m_capacity, m_windowCapacity, m_mainCapacity, m_protectedCapacity;
    KeyList m_window, m_probation, m_protected;
    Sketch m_sketch {m_capacity};
};

inline std::unique_ptr<Simulator> make(const QString &policy, std::size_t capacity)
{
    if (policy == QLatin1String("lru"))
        return std::make_unique<Queue>(capacity, true);
    if (policy == QLatin1String("fifo"))
        return std::make_unique<Queue>(capacity, false);
    if (policy == QLatin1String("sieve"))
        return std::make_unique<Sieve>(capacity);
    if (policy == QLatin1String("s3fifo"))
        return std::make_unique<S3Fifo>(capacity);
    if (policy == QLatin1String("wtinylfu"))
        return std::make_unique<WTinyLfu>(capacity);
    throw std::invalid_argument("no reference simulator for " + policy.toStdString());
}

// Misses of Belady's optimal policy (evict the key used furthest in the future).
inline std::uint64_t beladyMisses(const std::vector<Key> &keys, std::size_t capacity)
{
    std::vector<std::size_t> nextUse(keys.size());
    std::unordered_map<Key, std::size_t> seen;
    for (std::size_t i = keys.size(); i-- > 0;) {
        const auto it = seen.find(keys[i]);
        nextUse[i] = it == seen.end() ? SIZE_MAX : it->second;
        seen[keys[i]] = i;
    }
    std::set<std::pair<std::size_t, Key>> byNextUse; // resident keys by their next use
    std::unordered_map<Key, std::size_t> residentNext;
    std::uint64_t misses = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const Key k = keys[i];
        if (const auto it = residentNext.find(k); it != residentNext.end()) {
            byNextUse.erase({it->second, k});
        } else {
            ++misses;
            if (capacity == 0)
                continue;
            if (residentNext.size() == capacity) {
                const auto last = std::prev(byNextUse.end());
                residentNext.erase(last->second);
                byNextUse.erase(last);
            }
        }
        residentNext[k] = nextUse[i];
        byNextUse.insert({nextUse[i], k});
    }
    return misses;
}

} // namespace reference
