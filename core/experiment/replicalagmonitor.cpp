#include "core/experiment/replicalagmonitor.h"

#include "core/db/database.h"

#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace cachescope {

ReplicaLagMonitor::ReplicaLagMonitor(DataSourceSpec spec, std::chrono::milliseconds every)
{
    spec.writable = false;
    m_thread.setObjectName(u"replica-lag"_s);
    m_thread.start();
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        m_context,
        [this, spec = std::move(spec), every] {
            try {
                m_source = openDataSource(spec);
            } catch (const std::exception &error) {
                const std::lock_guard lock(m_mutex);
                for (const QString &replica : spec.replicas) {
                    ReplicaLag lag;
                    lag.url = DataSourceSpec::maskUrl(replica);
                    lag.error = QString::fromUtf8(error.what());
                    m_latest.push_back(lag);
                }
                return;
            }
            auto *timer = new QTimer(m_context);
            timer->setInterval(every);
            QObject::connect(timer, &QTimer::timeout, m_context, [this] { measure(); });
            measure();
            timer->start();
        },
        Qt::QueuedConnection);
}

ReplicaLagMonitor::~ReplicaLagMonitor()
{
    // The source's connections belong to the monitor's thread: closed there.
    QMetaObject::invokeMethod(
        m_context,
        [this] {
            m_source.reset();
            delete m_context;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void ReplicaLagMonitor::measure()
{
    if (!m_source)
        return;
    const std::vector<ReplicaLag> now = m_source->replicaLag();
    const std::lock_guard lock(m_mutex);
    m_latest = now;
    if (m_worst.size() != now.size())
        m_worst = now;
    for (std::size_t i = 0; i < now.size(); ++i) {
        if (!now[i].error.isEmpty())
            continue;
        m_worst[i].error.clear();
        m_worst[i].seconds = std::max(m_worst[i].seconds, now[i].seconds);
        m_worst[i].bytes = std::max(m_worst[i].bytes, now[i].bytes);
    }
    ++m_measurements;
}

std::vector<ReplicaLag> ReplicaLagMonitor::latest() const
{
    const std::lock_guard lock(m_mutex);
    return m_latest;
}

std::vector<ReplicaLag> ReplicaLagMonitor::worst() const
{
    const std::lock_guard lock(m_mutex);
    return m_worst;
}

int ReplicaLagMonitor::measurements() const
{
    const std::lock_guard lock(m_mutex);
    return m_measurements;
}

} // namespace cachescope
