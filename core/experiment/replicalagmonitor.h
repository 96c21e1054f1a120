#pragma once

#include "core/load/datasource.h"
#include "core/load/source.h"

#include <QThread>

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace cachescope {

/// How far each read replica of a server is behind its primary (db.replicas), measured about once
/// every \a every on a thread and connections of its own: a query that waits for a slow server
/// holds up neither the runner's thread nor a worker's clients. What the live chart and each
/// snapshot show; the run's result keeps the worst seen.
class ReplicaLagMonitor {
public:
    /// Starts measuring at once. \a spec: the server and its replicas (nothing is written).
    ReplicaLagMonitor(DataSourceSpec spec, std::chrono::milliseconds every);
    ~ReplicaLagMonitor();
    ReplicaLagMonitor(const ReplicaLagMonitor &) = delete;
    ReplicaLagMonitor &operator=(const ReplicaLagMonitor &) = delete;

    /// The last measurement of each replica (empty before the first; error set for one that could
    /// not be read, or for all when the server could not be reached).
    std::vector<ReplicaLag> latest() const;
    /// The most each replica was behind in any measurement so far (same order as latest()).
    std::vector<ReplicaLag> worst() const;
    /// Measurements made so far.
    int measurements() const;

private:
    void measure();

    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread
    std::unique_ptr<DataSource> m_source; // made, used and destroyed on m_thread
    mutable std::mutex m_mutex;
    std::vector<ReplicaLag> m_latest;
    std::vector<ReplicaLag> m_worst;
    int m_measurements = 0;
};

} // namespace cachescope
