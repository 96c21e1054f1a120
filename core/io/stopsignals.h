#pragma once

#include <QObject>

class QSocketNotifier;

namespace cachescope {

/// SIGINT and SIGTERM as a cooperative stop, for the lifetime of the object (one at a time).
/// The first signal emits stopRequested() on the object's thread, through a self-pipe read by a
/// QSocketNotifier, so the run can stop as the Stop button stops it: results of what ran, reports
/// written. A second signal removes every registered partial file (PartialFiles) and ends the
/// process at once with 128 + the signal's number.
class StopSignals : public QObject {
    Q_OBJECT
public:
    explicit StopSignals(QObject *parent = nullptr);
    ~StopSignals() override;

    /// The first signal received (SIGINT or SIGTERM), 0 while none. Safe from any thread.
    static int received();
    /// The conventional exit code for \a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
    static int exitCode(int signal) { return 128 + signal; }
    /// "SIGINT" or "SIGTERM".
    static QString name(int signal);

Q_SIGNALS:
    /// The first SIGINT or SIGTERM arrived.
    void stopRequested(int signal);

private:
    void readPipe();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace cachescope
