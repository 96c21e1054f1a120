#include "ui/backgroundrun.h"

#include "core/experiment/phaserunner.h"

using namespace Qt::StringLiterals;

namespace cachescope {

BackgroundRun::BackgroundRun(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(u"experiment-runner"_s);
    m_runner = new PhaseRunner;
    m_runner->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
    connect(m_runner, &PhaseRunner::statusChanged, this, &BackgroundRun::statusChanged);
    connect(m_runner, &PhaseRunner::phaseStarted, this, &BackgroundRun::phaseStarted);
    connect(m_runner, &PhaseRunner::snapshotReady, this, &BackgroundRun::snapshotReady);
    connect(m_runner, &PhaseRunner::changeApplied, this, &BackgroundRun::changeApplied);
    connect(m_runner, &PhaseRunner::changeRejected, this, &BackgroundRun::changeRejected);
    connect(m_runner, &PhaseRunner::warmupProgress, this, &BackgroundRun::warmupProgress);
    connect(m_runner, &PhaseRunner::runFinished, this, [this](const RunResult &result) {
        m_running = false;
        Q_EMIT runFinished(result);
    });
    m_thread.start();
}

BackgroundRun::~BackgroundRun()
{
    // The runner's destructor (run on its own thread via deleteLater when the thread finishes)
    // stops the workers; quitting first ends whatever it was doing at the next event.
    stop();
    m_thread.quit();
    m_thread.wait();
}

void BackgroundRun::start(const Scenario &scenario)
{
    if (m_running)
        return;
    m_running = true;
    Q_EMIT runStarted();
    QMetaObject::invokeMethod(m_runner, "start", Qt::QueuedConnection, Q_ARG(cachescope::Scenario, scenario));
}

void BackgroundRun::applyChange(const ConfigChange &change)
{
    if (m_running) {
        // A typed value crosses to the engine's thread: nothing is formatted or parsed on the way.
        QMetaObject::invokeMethod(
            m_runner, [runner = m_runner, change] { runner->applyChange(change); }, Qt::QueuedConnection);
    }
}

void BackgroundRun::saveHotSet()
{
    if (m_running)
        QMetaObject::invokeMethod(m_runner, "saveHotSet", Qt::QueuedConnection);
}

void BackgroundRun::stop()
{
    if (m_running)
        QMetaObject::invokeMethod(m_runner, "stop", Qt::QueuedConnection);
}

} // namespace cachescope
