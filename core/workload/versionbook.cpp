#include "core/workload/versionbook.h"

#include <bit>
#include <mutex>

namespace cachescope {

VersionBook::VersionBook(const std::vector<std::int64_t> &keys)
{
    const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(2 * keys.size(), 16));
    m_keys.assign(capacity, 0);
    m_used.assign(capacity, false);
    m_slots = std::make_unique<Slot[]>(capacity);
    const std::size_t mask = capacity - 1;
    for (const std::int64_t key : keys) {
        for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
            if (!m_used[i]) {
                m_used[i] = true;
                m_keys[i] = key;
                ++m_count;
                break;
            }
            if (m_keys[i] == key)
                break; // a key given twice (a trace's mapping) is one key
        }
    }
}

void VersionBook::committed(std::int64_t key, std::int64_t version, std::int64_t nanos)
{
    auto *slot = const_cast<Slot *>(find(key));
    if (!slot)
        return;
    std::lock_guard guard(slot->lock);
    Commit *recent = slot->recent;
    if (version > recent[0].version) {
        for (int i = kKept - 1; i > 0; --i)
            recent[i] = recent[i - 1];
        recent[0] = {version, nanos};
        slot->latestAt.store(nanos, std::memory_order_release);
        slot->latest.store(version, std::memory_order_release);
        return;
    }
    for (int i = 1; i < kKept; ++i) {
        if (version == recent[i - 1].version)
            return;
        if (version > recent[i].version) {
            for (int j = kKept - 1; j > i; --j)
                recent[j] = recent[j - 1];
            recent[i] = {version, nanos};
            return;
        }
    }
}

std::int64_t VersionBook::supersededAt(std::int64_t key, std::int64_t version) const
{
    const Slot *slot = find(key);
    if (!slot)
        return 0;
    std::lock_guard guard(slot->lock);
    // The oldest kept commit later than the version read.
    std::int64_t at = 0;
    for (const Commit &c : slot->recent) {
        if (c.version > version)
            at = c.nanos;
    }
    return at;
}

} // namespace cachescope
