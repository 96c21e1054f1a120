#include "core/batch/batchprocessor.h"

#include "core/db/database.h"

#include <QMetaObject>

namespace cachescope::detail {

bool isRetryableException(const std::exception &error)
{
    if (dynamic_cast<const RetryableError *>(&error))
        return true;
    if (const auto *db = dynamic_cast<const DbError *>(&error))
        return isRetryable(db->code());
    return false;
}

void yieldTo(QObject *context, std::coroutine_handle<> handle)
{
    QMetaObject::invokeMethod(
        context, [handle] { handle.resume(); }, Qt::QueuedConnection);
}

} // namespace cachescope::detail
