#include "core/batch/asyncsemaphore.h"

#include <QMetaObject>

#include <algorithm>

namespace cachescope {

AsyncSemaphore::AsyncSemaphore(int limit)
    : m_limit(std::max(0, limit))
{
}

bool AsyncSemaphore::takeIfFreeLocked()
{
    // Fair: nobody overtakes a coroutine that is already waiting.
    if (m_waiters.empty() && m_inUse < m_limit) {
        ++m_inUse;
        return true;
    }
    return false;
}

AsyncSemaphore::Acquire AsyncSemaphore::acquire(QObject *context)
{
    std::lock_guard lock(m_mutex);
    return Acquire(this, context, takeIfFreeLocked());
}

bool AsyncSemaphore::Acquire::await_suspend(std::coroutine_handle<> handle)
{
    std::lock_guard lock(m_semaphore->m_mutex);
    if (m_semaphore->takeIfFreeLocked())
        return false; // a permit came free meanwhile: go on without suspending
    m_semaphore->m_waiters.push_back({handle, QPointer<QObject>(m_context)});
    return true;
}

bool AsyncSemaphore::tryAcquire()
{
    std::lock_guard lock(m_mutex);
    return takeIfFreeLocked();
}

void AsyncSemaphore::wakeLocked()
{
    while (!m_waiters.empty() && m_inUse < m_limit) {
        Waiter waiter = m_waiters.front();
        m_waiters.pop_front();
        if (!waiter.context)
            continue; // its owner is gone; so is the coroutine's reason to run
        ++m_inUse;
        // The permit is the waiter's now; it resumes on its own thread's event loop.
        const std::coroutine_handle<> handle = waiter.handle;
        QMetaObject::invokeMethod(
            waiter.context.data(), [handle] { handle.resume(); }, Qt::QueuedConnection);
    }
}

void AsyncSemaphore::release()
{
    std::lock_guard lock(m_mutex);
    if (m_inUse > 0)
        --m_inUse;
    wakeLocked();
}

void AsyncSemaphore::setLimit(int limit)
{
    std::lock_guard lock(m_mutex);
    m_limit = std::max(0, limit);
    wakeLocked();
}

int AsyncSemaphore::limit() const
{
    std::lock_guard lock(m_mutex);
    return m_limit;
}

int AsyncSemaphore::inUse() const
{
    std::lock_guard lock(m_mutex);
    return m_inUse;
}

int AsyncSemaphore::waiting() const
{
    std::lock_guard lock(m_mutex);
    return int(m_waiters.size());
}

} // namespace cachescope
