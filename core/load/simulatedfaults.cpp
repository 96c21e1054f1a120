#include "core/load/simulatedfaults.h"

#include "core/util/random.h"

#include <algorithm>
#include <thread>

namespace cachescope {

void SimulatedFaults::setFailureRate(double rate, std::uint64_t seed)
{
    rate = std::clamp(rate, 0.0, 1.0);
    m_failureThreshold = rate >= 1.0 ? ~std::uint64_t(0) : std::uint64_t(rate * 18446744073709551616.0);
    m_failureState = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
}

void SimulatedFaults::setStall(std::chrono::nanoseconds stall, std::int64_t every)
{
    m_stall = stall;
    m_stallEvery = every;
    m_sinceStall = 0;
}

bool SimulatedFaults::beforeStatement(std::uint64_t &stalledNanos)
{
    if (m_stallEvery > 0 && m_stall.count() > 0 && ++m_sinceStall >= m_stallEvery) {
        m_sinceStall = 0;
        // In slices, so that the phase's end or Stop ends the stall rather than waiting it out.
        const auto start = std::chrono::steady_clock::now();
        const auto until = start + m_stall;
        for (auto now = start; now < until; now = std::chrono::steady_clock::now()) {
            if (m_interrupt && m_interrupt->load(std::memory_order_relaxed))
                break;
            std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(until - now, std::chrono::milliseconds(5)));
        }
        stalledNanos += std::uint64_t(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    }
    return m_failureThreshold != 0 && nextRandom(m_failureState) < m_failureThreshold;
}

} // namespace cachescope
