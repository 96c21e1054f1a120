#pragma once

#include <chrono>
#include <cstdint>

namespace cachescope {

/// Retry with exponential backoff and full jitter (each wait uniform in [0, min(maxDelay,
/// baseDelay·2^(n−1))] before the n-th retry), at most maxAttempts attempts in all, and none
/// started after the deadline (measured from the first attempt; 0 = none). Only errors marked
/// retryable are retried (see isRetryable()).
struct RetryPolicy {
    int maxAttempts = 1; ///< 1 = no retry
    std::chrono::nanoseconds baseDelay {std::chrono::milliseconds(1)};
    std::chrono::nanoseconds maxDelay {std::chrono::milliseconds(100)};
    std::chrono::nanoseconds deadline {0};

    /// The wait before retry number \a retry (1 = the first retry); \a state is the caller's
    /// seeded random state, advanced.
    std::chrono::nanoseconds delayBefore(int retry, std::uint64_t &state) const;
    /// The upper bound of that wait (what the jitter is drawn under).
    std::chrono::nanoseconds ceilingBefore(int retry) const;
    /// Whether another attempt may start: attempts so far, time since the first one.
    bool mayRetry(int attemptsSoFar, std::chrono::nanoseconds elapsed) const;
};

/// SQLite result codes worth another try: busy, locked, and I/O errors (what a flaky network or a
/// simulated failure gives). Syntax errors, constraint violations and the like are not.
bool isRetryable(int sqliteCode);

} // namespace cachescope
