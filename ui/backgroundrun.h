#pragma once

#include "core/metrics/metricssnapshot.h"
#include "core/result/runresult.h"
#include "core/scenario/scenario.h"

#include <QObject>
#include <QThread>

namespace cachescope {

class PhaseRunner;

/// The GUI's handle on the engine: an PhaseRunner living on its own thread, reached only
/// through queued calls and signals carrying values, so the GUI thread never waits on a run.
class BackgroundRun : public QObject {
    Q_OBJECT
public:
    explicit BackgroundRun(QObject *parent = nullptr);
    /// Stops any run and waits for the engine to shut down.
    ~BackgroundRun() override;

    bool isRunning() const { return m_running; }

    void start(const cachescope::Scenario &scenario);
    void stop();
    /// A live change for the running phase.
    void applyChange(const cachescope::ConfigChange &change);
    /// Saves the hot set the running cached phase has seen so far (see PhaseRunner::saveHotSet).
    void saveHotSet();

Q_SIGNALS:
    void runStarted();
    void statusChanged(const QString &message);
    void phaseStarted(cachescope::Phase phase, double plannedSeconds);
    void snapshotReady(const cachescope::MetricsSnapshot &snapshot);
    void runFinished(const cachescope::RunResult &result);
    void changeApplied(double runTime, const QString &change);
    void changeRejected(const QString &reason);
    void warmupProgress(const cachescope::WarmupProgress &progress);

private:
    QThread m_thread;
    PhaseRunner *m_runner = nullptr;
    bool m_running = false;
};

} // namespace cachescope
