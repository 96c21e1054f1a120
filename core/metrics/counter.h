#pragma once

#include <atomic>
#include <cstdint>

namespace cachescope {

/// A counter written by exactly one thread and read by any: the writer's add() is a plain
/// load + store (no locked instruction), readers see a value that is never torn. Put the
/// counters of one thread together, away from other threads' (see alignas in their owners).
class SingleWriterCounter {
public:
    void add(std::uint64_t n = 1)
    {
        m_value.store(m_value.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
    std::uint64_t load() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value {0};
};

} // namespace cachescope
