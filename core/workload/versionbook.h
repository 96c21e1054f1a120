#pragma once

#include "core/cache/spinlock.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace cachescope {

/// The last committed version of each key a run writes, as the writers learn it (the version
/// column a write bumps and returns), shared by every worker: what a stale-read check compares a
/// read's row with. The keys are fixed when it is made (the run's key space); a lookup is one
/// probe into a read-only table and one atomic load, so readers on the hit path pay little.
///
/// A read is stale when the row it returns is older than the latest version committed before the
/// read started. Its age: how long before the read's end the row was superseded, from the commit
/// time of the oldest later write the book still holds (it keeps the last kKept per key, so the
/// age of a row superseded more than kKept writes ago is a lower bound).
class VersionBook {
public:
    /// Commits kept per key for the age of a stale read.
    static constexpr int kKept = 2;

    explicit VersionBook(const std::vector<std::int64_t> &keys);

    /// The latest version committed for \a key this run; 0 when none was (or it is not a key of
    /// the book).
    std::int64_t latest(std::int64_t key) const
    {
        const Slot *slot = find(key);
        return slot ? slot->latest.load(std::memory_order_acquire) : 0;
    }
    /// A write of \a key committed \a version at \a nanos (TimerQueue clock). Out-of-order reports
    /// (two writers of one key on two threads) keep the highest version as the latest.
    void committed(std::int64_t key, std::int64_t version, std::int64_t nanos);
    /// When the row at \a version of \a key was superseded (see the class comment); 0 when the
    /// book holds no later commit.
    std::int64_t supersededAt(std::int64_t key, std::int64_t version) const;
    /// When the latest write of \a key committed (TimerQueue clock); 0 when none has.
    std::int64_t latestAt(std::int64_t key) const
    {
        const Slot *slot = find(key);
        return slot ? slot->latestAt.load(std::memory_order_acquire) : 0;
    }
    /// Keys the book tracks.
    std::size_t size() const { return m_count; }

private:
    struct Commit {
        std::int64_t version = 0;
        std::int64_t nanos = 0;
    };
    struct Slot {
        std::atomic<std::int64_t> latest {0};
        std::atomic<std::int64_t> latestAt {0};
        mutable detail::SpinLock lock;
        Commit recent[kKept]; // newest first, under lock
    };

    const Slot *find(std::int64_t key) const
    {
        const std::size_t mask = m_keys.size() - 1;
        for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
            if (m_keys[i] == key && m_used[i])
                return &m_slots[i];
            if (!m_used[i])
                return nullptr;
        }
    }
    static std::size_t hash(std::int64_t key)
    {
        auto x = std::uint64_t(key);
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        return std::size_t(x);
    }

    std::vector<std::int64_t> m_keys; // open addressing, a power of two at most half full
    std::vector<bool> m_used;
    std::unique_ptr<Slot[]> m_slots;
    std::size_t m_count = 0;
};

} // namespace cachescope
