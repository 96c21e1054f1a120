#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace cachescope {

/// Time source for expiry, injectable so tests control TTLs without sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    /// Monotonic nanoseconds since an arbitrary epoch.
    virtual std::int64_t nowNanos() const = 0;
};

/// std::chrono::steady_clock.
class SteadyClock final : public Clock {
public:
    std::int64_t nowNanos() const override
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
    /// A process-wide instance (stateless, safe to share).
    static std::shared_ptr<const Clock> instance();
};

/// A clock that moves only when told to: for deterministic TTL tests.
class ManualClock final : public Clock {
public:
    std::int64_t nowNanos() const override { return m_now.load(std::memory_order_acquire); }
    void advance(std::chrono::nanoseconds by) { m_now.fetch_add(by.count(), std::memory_order_acq_rel); }

private:
    std::atomic<std::int64_t> m_now {1'000'000'000};
};

} // namespace cachescope
