#include "core/batch/retrypolicy.h"

#include "core/db/pgconnection.h"

#include "core/util/random.h"

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
    const double u = nextUnit(state); // [0, 1)
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
    if (isPostgresCode(sqliteCode)) {
        // A lost connection is reopened, a timeout and a serialization failure may pass.
        return sqliteCode == PgCode::kConnectionLost || sqliteCode == PgCode::kTimeout
            || sqliteCode == PgCode::kRetryable;
    }
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
