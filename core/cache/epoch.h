#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

namespace cachescope::detail {

/// Epoch-based reclamation: how a cache tier lets readers look entries up without taking a lock
/// (and without writing to any cache line another core reads) while writers free what they
/// unlink.
///
/// A reader holds an EpochGuard while it follows pointers into shared structures; it announces
/// the global epoch it entered in (in its own per-thread record) and clears the announcement when
/// it leaves. A writer unlinks an object first, then retires it in a RetireList; the object is
/// freed only once the global epoch has moved on twice since, which it does only when every
/// reader inside a guard has announced the current epoch — so no reader that could have seen the
/// object is still inside its guard (Fraser, "Practical lock-freedom", 2004; as in crossbeam).
///
/// Announcements and the epoch are sequentially consistent atomics (an exchange to enter, a
/// plain store to leave): sanitizers follow them, which they would not do for fences.
// One per thread that ever read under a guard; reused after the thread ends, never freed (the
// list stays as long as the largest number of threads alive at once).
struct alignas(64) EpochRecord {
    std::atomic<std::uint64_t> epoch {0}; // announced epoch; 0 = not inside a guard
    std::atomic<bool> inUse {false};
    EpochRecord *next = nullptr; // set before the record is published, then constant
    unsigned index = 0; // position in creation order, constant
};

// The calling thread's record and guard depth: trivially initialised, so reading them is one
// thread-pointer-relative load (the record is handed back by a separate holder at thread exit).
struct EpochThread {
    EpochRecord *record;
    unsigned depth;
};
extern thread_local EpochThread t_epochThread;
extern std::atomic<std::uint64_t> g_epoch;
EpochRecord *registerEpochThread();

class Epoch {
public:
    /// The current global epoch (starts at 1; 0 in an announcement means "not reading").
    static std::uint64_t current() { return g_epoch.load(std::memory_order_seq_cst); }
    /// Moves the global epoch on when every thread inside a guard has announced the current one;
    /// returns the epoch after the attempt.
    static std::uint64_t tryAdvance();
    /// A small number for the calling thread, unique among the threads alive now (a number is
    /// reused after its thread ends): the first threads get 0, 1, 2… — per-thread arrays index
    /// by it.
    static unsigned threadIndex()
    {
        EpochRecord *r = t_epochThread.record;
        return (r ? r : registerEpochThread())->index;
    }
};

/// RAII: the calling thread is reading shared structures. Nestable; cheap (one exchange on a
/// cache line of the thread's own).
class EpochGuard {
public:
    EpochGuard()
    {
        EpochThread &t = t_epochThread;
        if (t.depth++ != 0)
            return;
        EpochRecord *r = t.record ? t.record : registerEpochThread();
        // The exchange orders the announcement before every load the reader makes inside.
        r->epoch.exchange(g_epoch.load(std::memory_order_seq_cst), std::memory_order_seq_cst);
    }
    ~EpochGuard()
    {
        EpochThread &t = t_epochThread;
        if (--t.depth == 0)
            t.record->epoch.store(0, std::memory_order_release); // what was read happens before any free
    }
    EpochGuard(const EpochGuard &) = delete;
    EpochGuard &operator=(const EpochGuard &) = delete;
};

/// Objects unlinked by writers, waiting until no reader can hold them. Not thread-safe: each list
/// belongs to one lock domain (a cache shard) and is used with its lock held.
class RetireList {
public:
    RetireList() = default;
    RetireList(const RetireList &) = delete;
    RetireList &operator=(const RetireList &) = delete;
    ~RetireList() { freeAll(); }

    /// \a object is unlinked; \a destroy frees it once that is safe.
    void retire(void *object, void (*destroy)(void *));
    template<typename T> void retire(T *object)
    {
        retire(static_cast<void *>(object), [](void *p) { delete static_cast<T *>(p); });
    }
    /// Frees what no reader can hold any more (tries to move the epoch on first).
    void collect();
    /// Frees everything now: only when no reader can be inside (destruction).
    void freeAll();
    std::size_t size() const { return m_items.size(); }

private:
    struct Item {
        std::uint64_t epoch;
        void *object;
        void (*destroy)(void *);
    };
    static constexpr std::size_t kCollectEvery = 64;
    std::vector<Item> m_items;
    std::size_t m_nextCollect = kCollectEvery;
};

} // namespace cachescope::detail
