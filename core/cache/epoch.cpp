#include "core/cache/epoch.h"

#include <algorithm>

namespace cachescope::detail {

std::atomic<std::uint64_t> g_epoch {1};
thread_local EpochThread t_epochThread {nullptr, 0};

namespace {

std::atomic<EpochRecord *> g_records {nullptr};

EpochRecord *acquireRecord()
{
    // The free record with the lowest index, so that indices stay small.
    for (;;) {
        EpochRecord *best = nullptr;
        for (EpochRecord *r = g_records.load(std::memory_order_acquire); r; r = r->next) {
            if (!r->inUse.load(std::memory_order_relaxed) && (!best || r->index < best->index))
                best = r;
        }
        if (!best)
            break;
        bool expected = false;
        if (best->inUse.compare_exchange_strong(expected, true, std::memory_order_acq_rel))
            return best;
    }
    static std::atomic<unsigned> created {0};
    auto *r = new EpochRecord;
    r->inUse.store(true, std::memory_order_relaxed);
    r->index = created.fetch_add(1, std::memory_order_relaxed);
    EpochRecord *head = g_records.load(std::memory_order_relaxed);
    do {
        r->next = head;
    } while (!g_records.compare_exchange_weak(head, r, std::memory_order_release, std::memory_order_relaxed));
    return r;
}

// Hands the thread's record back when the thread ends.
struct RecordHolder {
    EpochRecord *record = nullptr;
    ~RecordHolder()
    {
        if (record) {
            record->epoch.store(0, std::memory_order_seq_cst);
            record->inUse.store(false, std::memory_order_release);
            t_epochThread.record = nullptr;
        }
    }
};

} // namespace

EpochRecord *registerEpochThread()
{
    thread_local RecordHolder holder;
    holder.record = acquireRecord();
    t_epochThread.record = holder.record;
    return holder.record;
}

std::uint64_t Epoch::tryAdvance()
{
    std::uint64_t e = g_epoch.load(std::memory_order_seq_cst);
    for (EpochRecord *r = g_records.load(std::memory_order_acquire); r; r = r->next) {
        const std::uint64_t announced = r->epoch.load(std::memory_order_seq_cst);
        if (announced != 0 && announced != e)
            return e; // a reader entered in an older epoch and is still inside
    }
    if (g_epoch.compare_exchange_strong(e, e + 1, std::memory_order_seq_cst))
        return e + 1;
    return e; // another thread moved it on: e holds the epoch now
}

void RetireList::retire(void *object, void (*destroy)(void *))
{
    m_items.push_back({Epoch::current(), object, destroy});
    if (m_items.size() >= m_nextCollect)
        collect();
}

void RetireList::collect()
{
    // Two attempts: with no reader inside a guard, everything retired so far becomes free.
    Epoch::tryAdvance();
    const std::uint64_t now = Epoch::tryAdvance();
    const auto keep
        = std::partition(m_items.begin(), m_items.end(), [now](const Item &item) { return item.epoch + 2 > now; });
    for (auto it = keep; it != m_items.end(); ++it)
        it->destroy(it->object);
    m_items.erase(keep, m_items.end());
    // Amortised: a reader that stays inside its guard for long must not make every retire scan.
    m_nextCollect = std::max<std::size_t>(kCollectEvery, 2 * m_items.size());
}

void RetireList::freeAll()
{
    for (const Item &item : m_items)
        item.destroy(item.object);
    m_items.clear();
}

} // namespace cachescope::detail
