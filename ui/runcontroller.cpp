#include "ui/runcontroller.h"

#include "core/experiment/experimentrunner.h"

using namespace Qt::StringLiterals;

namespace cachescope {

RunController::RunController(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(u"experiment-runner"_s);
    m_runner = new ExperimentRunner;
    m_runner->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
    connect(m_runner, &ExperimentRunner::statusChanged, this, &RunController::statusChanged);
    connect(m_runner, &ExperimentRunner::phaseStarted, this, &RunController::phaseStarted);
    connect(m_runner, &ExperimentRunner::snapshotReady, this, &RunController::snapshotReady);
    connect(m_runner, &ExperimentRunner::changeApplied, this, &RunController::changeApplied);
    connect(m_runner, &ExperimentRunner::changeRejected, this, &RunController::changeRejected);
    connect(m_runner, &ExperimentRunner::warmupProgress, this, &RunController::warmupProgress);
    connect(m_runner, &ExperimentRunner::runFinished, this, [this](const RunResult &result) {
        m_running = false;
        Q_EMIT runFinished(result);
    });
    m_thread.start();
}

RunController::~RunController()
{
    // The runner's destructor (run on its own thread via deleteLater when the thread finishes)
    // stops the workers; quitting first ends whatever it was doing at the next event.
    stop();
    m_thread.quit();
    m_thread.wait();
}

void RunController::start(const Scenario &scenario)
{
    if (m_running)
        return;
    m_running = true;
    Q_EMIT runStarted();
    QMetaObject::invokeMethod(m_runner, "start", Qt::QueuedConnection, Q_ARG(cachescope::Scenario, scenario));
}

void RunController::applyChange(const ConfigChange &change)
{
    if (m_running) {
        // A typed value crosses to the engine's thread: nothing is formatted or parsed on the way.
        QMetaObject::invokeMethod(
            m_runner, [runner = m_runner, change] { runner->applyChange(change); }, Qt::QueuedConnection);
    }
}

void RunController::saveHotSet()
{
    if (m_running)
        QMetaObject::invokeMethod(m_runner, "saveHotSet", Qt::QueuedConnection);
}

void RunController::stop()
{
    if (m_running)
        QMetaObject::invokeMethod(m_runner, "stop", Qt::QueuedConnection);
}

} // namespace cachescope
