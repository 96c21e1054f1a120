#include "core/batch/retrypolicy.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>

namespace cachescope {

std::chrono::nanoseconds RetryPolicy::ceilingBefore(int retry) const
{
    const double ceiling = double(baseDelay.count()) * std::ldexp(1.0, std::clamp(retry - 1, 0, 62));
    return std::chrono::nanoseconds(std::int64_t(std::min(ceiling, double(maxDelay.count()))));
}

std::chrono::nanoseconds RetryPolicy::delayBefore(int retry, std::uint64_t &state) const
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const double u = double(z >> 11) * 0x1.0p-53; // [0, 1)
    return std::chrono::nanoseconds(std::int64_t(u * double(ceilingBefore(retry).count())));
}

bool RetryPolicy::mayRetry(int attemptsSoFar, std::chrono::nanoseconds elapsed) const
{
    if (attemptsSoFar >= maxAttempts)
        return false;
    return deadline.count() <= 0 || elapsed < deadline;
}

bool isRetryable(int sqliteCode)
{
    switch (sqliteCode & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
        return true;
    default:
        return false;
    }
}

} // namespace cachescope
