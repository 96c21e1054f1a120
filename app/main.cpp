// Wiring only: the GUI by default, headless subcommands (run, demo-db) for CI and scripts.
#include "app/cli.h"
#include "core/io/stopsignals.h"
#include "core/result/buildinfo.h"

#ifdef CACHESCOPE_WITH_GUI
#include "ui/documentreport.h"
#include "ui/language.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QIcon>
#endif

#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
void describeApplication()
{
    QCoreApplication::setApplicationName(u"cachescope"_s);
    QCoreApplication::setOrganizationName(u"cachescope"_s);
    QCoreApplication::setApplicationVersion(cachescope::buildinfo::version());
}

#ifdef CACHESCOPE_WITH_GUI
// A subcommand that writes an HTML or PDF report draws charts: it needs a QApplication, on the
// offscreen platform (no display is needed, and the same result gives the same bytes anywhere).
bool drawsDocuments(int argc, char **argv)
{
    for (int i = 2; i < argc; ++i) {
        const QString arg = QString::fromLocal8Bit(argv[i]).toLower();
        if (arg.endsWith(u".html"_s) || arg.endsWith(u".htm"_s) || arg.endsWith(u".pdf"_s))
            return true;
    }
    return false;
}
#endif
} // namespace

int main(int argc, char **argv)
{
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (!first.isEmpty()) {
        describeApplication();
#ifdef CACHESCOPE_WITH_GUI
        std::unique_ptr<QCoreApplication> app;
        if (drawsDocuments(argc, argv)) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            // Without a session (CI, ssh, root) Qt's platform warns that it makes its own runtime
            // folder; the folder it would make, made here, keeps stderr to what the command says.
            if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
                const QByteArray runtime
                    = QDir::tempPath().toLocal8Bit() + "/runtime-" + QByteArray::number(::getuid());
                if (::mkdir(runtime.constData(), 0700) == 0 || errno == EEXIST)
                    qputenv("XDG_RUNTIME_DIR", runtime);
            }
            app = std::make_unique<QApplication>(argc, argv);
            // A report a person reads speaks the window's language (View → Language); results,
            // CSV, JUnit and the summary on the terminal stay as they are.
            cachescope::language::install(cachescope::language::chosen());
        } else {
            app = std::make_unique<QCoreApplication>(argc, argv);
        }
        cachescope::DocumentReport::registerFormats();
#else
        QCoreApplication app(argc, argv);
#endif
        if (first == u"--help"_s || first == u"-h"_s || first == u"help"_s) {
            QTextStream(stdout) << cachescope::cli::usage();
            return cachescope::cli::kPassed;
        }
        if (first == u"--version"_s || first == u"-v"_s) {
            QTextStream(stdout) << cachescope::buildinfo::versionText();
            return cachescope::cli::kPassed;
        }
        return cachescope::cli::runSubcommand(QCoreApplication::arguments());
    }

#ifdef CACHESCOPE_WITH_GUI
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        QTextStream(stderr) << "cachescope: no display (DISPLAY and WAYLAND_DISPLAY are unset); for a headless run "
                               "use: cachescope run --duration 10\n";
        return cachescope::cli::kBadInput;
    }
    describeApplication();
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(u"CacheScope"_s);
    QApplication::setDesktopFileName(u"io.github.cachescope.CacheScope"_s);
    QApplication::setWindowIcon(QIcon(u":/cachescope/icons/cachescope.svg"_s)); // dialogs too
    cachescope::cli::sweepPartialFiles();
    cachescope::DocumentReport::registerFormats();
    cachescope::language::install(cachescope::language::chosen()); // before any text is made
    cachescope::MainWindow window;
    // SIGINT or SIGTERM closes the window as the user would: a run stops cleanly first.
    const cachescope::StopSignals stopSignals;
    int stopSignal = 0;
    QObject::connect(&stopSignals, &cachescope::StopSignals::stopRequested, &window, [&](int signal) {
        stopSignal = signal;
        window.close();
        QApplication::quit();
    });
    window.show();
    const int code = QApplication::exec();
    return stopSignal != 0 ? cachescope::StopSignals::exitCode(stopSignal) : code;
#else
    QTextStream(stderr) << cachescope::cli::usage();
    return cachescope::cli::kBadInput;
#endif
}
