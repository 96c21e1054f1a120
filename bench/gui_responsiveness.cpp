// How the window holds up while a run goes on at full load: the GUI thread's event-loop lag (a
// 10 ms precise timer's lateness), the GUI thread's share of one core, and the process's RSS over
// time, with the real MainWindow drawing every chart live. Run under Xvfb so that the drawing is
// real:
//   xvfb-run -a -s "-screen 0 1280x800x24" build/release/bench/gui_responsiveness --seconds 180
// Prints one table; the figures go to docs/benchmarks.md.
#include "core/db/demodatabase.h"
#include "core/report/historystore.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
// CPU seconds (user + system) of thread \a tid of this process.
double threadCpuSeconds(long tid)
{
    QFile f(u"/proc/self/task/%1/stat"_s.arg(tid));
    if (!f.open(QIODevice::ReadOnly))
        return 0.0;
    const QByteArray line = f.readAll();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double ticks = fields.value(11).toDouble() + fields.value(12).toDouble(); // utime, stime
    return ticks / double(sysconf(_SC_CLK_TCK));
}

double rssMiB()
{
    QFile f(u"/proc/self/statm"_s);
    if (!f.open(QIODevice::ReadOnly))
        return 0.0;
    return f.readAll().split(' ').value(1).toDouble() * double(sysconf(_SC_PAGESIZE)) / 1048576.0;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size())))];
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of the cached phase."_s, u"S"_s, u"60"_s);
    const QCommandLineOption rowsOption(u"rows"_s, u"Demo database rows."_s, u"N"_s, u"100000"_s);
    parser.addOptions({secondsOption, rowsOption});
    parser.process(app);
    const double seconds = parser.value(secondsOption).toDouble();

    QTemporaryDir dir;
    qputenv("CACHESCOPE_HISTORY", dir.filePath(u"history.sqlite"_s).toUtf8());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.filePath(u"config"_s));
    const QString db = dir.filePath(u"demo.db"_s);
    DemoDatabase::create(db, parser.value(rowsOption).toLongLong(), 1);

    MainWindow window(db);
    Scenario s;
    s.db.path = db;
    s.duration.baseline = std::chrono::seconds(5);
    s.duration.cached = std::chrono::nanoseconds(std::llround(seconds * 1e9));
    window.setScenario(s);
    window.resize(1280, 800);
    window.show();

    const long guiTid = syscall(SYS_gettid);
    std::vector<double> lagMs;
    std::vector<std::pair<double, double>> rss; // (s, MiB)
    QElapsedTimer wall;
    QElapsedTimer tick;
    double cpuStart = 0.0;
    bool running = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        if (running)
            lagMs.push_back(std::max(0.0, double(tick.nsecsElapsed()) / 1e6 - 10.0));
        tick.start();
    });
    QTimer sampler;
    sampler.setInterval(1000);
    QObject::connect(
        &sampler, &QTimer::timeout, &app, [&] { rss.emplace_back(double(wall.elapsed()) / 1000.0, rssMiB()); });
    QObject::connect(&window, &MainWindow::runShown, &app, [&] {
        running = false;
        const double wallS = double(wall.elapsed()) / 1000.0;
        const double cpu = threadCpuSeconds(guiTid) - cpuStart;
        // RSS: after the first 20 s (allocator and caches settle), first vs last, and the peak.
        std::vector<double> settled;
        for (const auto &[t, mib] : rss) {
            if (t >= 20.0)
                settled.push_back(mib);
        }
        const double first = settled.empty() ? 0.0 : settled.front();
        const double last = settled.empty() ? 0.0 : settled.back();
        const double peak = settled.empty() ? 0.0 : *std::max_element(settled.begin(), settled.end());
        std::printf("run                 %.0f s (5 s baseline, %.0f s cached), %zu lag samples\n", wallS, seconds,
            lagMs.size());
        std::printf("event-loop lag      p50 %.2f ms   p99 %.2f ms   max %.2f ms\n", percentile(lagMs, 50),
            percentile(lagMs, 99), percentile(lagMs, 100));
        std::printf("GUI thread CPU      %.1f %% of one core\n", 100.0 * cpu / wallS);
        std::printf("RSS after 20 s      first %.1f MiB   last %.1f MiB   peak %.1f MiB   (%.2f MiB/min)\n", first,
            last, peak, settled.size() > 1 ? (last - first) / ((rss.back().first - 20.0) / 60.0) : 0.0);
        // RSS once a minute (for long runs: growth that stops is a plateau, growth that goes on a leak).
        std::printf("RSS by minute      ");
        for (std::size_t i = 0; i < rss.size(); i += 60)
            std::printf(" %.0f:%.1f", rss[i].first / 60.0, rss[i].second);
        std::printf("  (minute:MiB)\n");
        app.quit();
    });
    QTimer::singleShot(500, &app, [&] {
        wall.start();
        tick.start();
        cpuStart = threadCpuSeconds(guiTid);
        running = true;
        probe.start();
        sampler.start();
        window.findChild<QPushButton *>(u"runButton"_s)->click();
    });
    const int code = app.exec();
    // The run's history entry is written on a pool thread: let it finish before the folder goes.
    QThreadPool::globalInstance()->waitForDone();
    return code;
}
