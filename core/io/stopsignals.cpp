#include "core/io/stopsignals.h"

#include "core/io/partialfiles.h"

#include <QSocketNotifier>

#include <atomic>
#include <cerrno>
#include <csignal>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
std::atomic<int> g_received {0};
int g_pipe[2] {-1, -1};

extern "C" void onStopSignal(int signal)
{
    int expected = 0;
    if (g_received.compare_exchange_strong(expected, signal)) {
        const int savedErrno = errno;
        const char byte = char(signal);
        [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
        errno = savedErrno;
        return;
    }
    // The second signal: the user wants out now.
    PartialFiles::removeAllNow();
    ::_exit(StopSignals::exitCode(expected));
}

void install(void (*handler)(int))
{
    struct sigaction action { };
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}
} // namespace

StopSignals::StopSignals(QObject *parent)
    : QObject(parent)
{
    g_received.store(0);
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return; // no pipe: the signals keep their default action
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &StopSignals::readPipe);
    install(&onStopSignal);
}

StopSignals::~StopSignals()
{
    if (!m_notifier)
        return;
    install(SIG_DFL);
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

int StopSignals::received()
{
    return g_received.load();
}

QString StopSignals::name(int signal)
{
    return signal == SIGINT ? u"SIGINT"_s : signal == SIGTERM ? u"SIGTERM"_s : u"signal %1"_s.arg(signal);
}

void StopSignals::readPipe()
{
    char byte = 0;
    if (::read(g_pipe[0], &byte, 1) == 1)
        Q_EMIT stopRequested(int(byte));
}

} // namespace cachescope
