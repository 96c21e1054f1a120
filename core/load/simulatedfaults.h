#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cachescope {

/// db.failure_rate and db.stall for any data source: before each statement, a stall when one is
/// due (the thread blocks, as on a lock wait or a paused server; cut short by the stop flag),
/// then a seeded draw of whether the statement fails. The same statements fail in every run.
class SimulatedFaults {
public:
    /// A share \a rate (0 … 1) of the statements fail.
    void setFailureRate(double rate, std::uint64_t seed);
    /// Every \a every-th statement stalls for \a stall first; 0 = never.
    void setStall(std::chrono::nanoseconds stall, std::int64_t every);
    /// A set \a stop ends a stall at once; nullptr: never.
    void setInterrupt(const std::atomic<bool> *stop) { m_interrupt = stop; }

    /// Called before each statement: stalls when one is due (adding the time to \a stalledNanos)
    /// and returns true when this statement is to fail.
    bool beforeStatement(std::uint64_t &stalledNanos);

private:
    std::uint64_t m_failureThreshold = 0; // a statement fails when its random draw is below this
    std::uint64_t m_failureState = 0;
    std::chrono::nanoseconds m_stall {0};
    std::int64_t m_stallEvery = 0;
    std::int64_t m_sinceStall = 0;
    const std::atomic<bool> *m_interrupt = nullptr;
};

} // namespace cachescope
