// Wiring only: the GUI by default, headless subcommands (run, demo-db) for CI and scripts.
#include "app/cli.h"
#include "core/io/stopsignals.h"

#ifdef CACHESCOPE_WITH_GUI
#include "ui/language.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QIcon>
#endif

#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {
void describeApplication()
{
    QCoreApplication::setApplicationName(u"cachescope"_s);
    QCoreApplication::setOrganizationName(u"cachescope"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(CACHESCOPE_VERSION));
}
} // namespace

int main(int argc, char **argv)
{
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    if (!first.isEmpty()) {
        describeApplication();
        QCoreApplication app(argc, argv);
        if (first == u"--help"_s || first == u"-h"_s || first == u"help"_s) {
            QTextStream(stdout) << cachescope::cli::usage();
            return cachescope::cli::kPassed;
        }
        if (first == u"--version"_s || first == u"-v"_s) {
            QTextStream(stdout) << "cachescope " << QCoreApplication::applicationVersion() << '\n';
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
