#include "app/cli.h"
#include "app/cliutil.h"

#include "core/cache/evictionpolicy.h"
#include "core/cache/tracereplay.h"
#include "core/db/database.h"
#include "core/db/demodatabase.h"
#include "core/db/pgconnection.h"
#include "core/experiment/phaserunner.h"
#include "core/io/outputfile.h"
#include "core/io/partialfiles.h"
#include "core/io/stopsignals.h"
#include "core/load/datasource.h"
#include "core/plan/preflight.h"
#include "core/plan/warmupplanner.h"
#include "core/report/historystore.h"
#include "core/report/reportwriter.h"
#include "core/scenario/presets.h"
#include "core/scenario/settings.h"
#include "core/warmup/warmupsource.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace cachescope::cli {

namespace {

QString checkedOutputPath(const QString &path, const QString &what)
{
    const QFileInfo info(path);
    if (path.isEmpty())
        return what + u": no file given"_s;
    if (!info.absoluteDir().exists())
        return what + u" '"_s + path + u"': directory '"_s + info.absolutePath() + u"' does not exist"_s;
    if (info.isDir())
        return what + u" '"_s + path + u"' is a directory"_s;
    return {};
}

// Thrown from a progress callback when a stop signal arrived: unwinds a long synchronous step
// (the demo database's generation), whose partial file is then removed.
struct Interrupted {
    int signal = 0;
};

void throwIfInterrupted()
{
    if (const int signal = StopSignals::received())
        throw Interrupted {signal};
}

int demoDbOnServer(const QString &url, std::int64_t rowCount, std::uint64_t seedValue)
{
    const StopSignals stopSignals;
    QElapsedTimer timer;
    timer.start();
    const QString shown = DataSourceSpec::maskUrl(url);
    try {
        DemoDatabase::createOnServer(url, rowCount, seedValue, [](std::int64_t) { throwIfInterrupted(); });
    } catch (const Interrupted &stop) {
        err() << "cachescope: demo-db: stopped by " << StopSignals::name(stop.signal) << "; no table was created on '"
              << shown << "'" << Qt::endl;
        return StopSignals::exitCode(stop.signal);
    } catch (const DbError &error) {
        err() << "cachescope: demo-db: " << error.message() << Qt::endl;
        // Bad input: an unreachable server, a wrong password, a table that exists.
        return error.code() == PgCode::kConnectFailed || error.code() == PgCode::kUsage ? kBadInput : kRunError;
    }
    out() << "created table " << DemoDatabase::kTable << " on " << shown << ": " << rowCount << " rows ("
          << QString::number(double(timer.elapsed()) / 1000.0, 'f', 2) << " s)" << Qt::endl;
    return kPassed;
}

int demoDb(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Create the demo database: an online shop's product catalogue, one ~1 KB row "
                                     "per product, generated from a seed."_s);
    const QCommandLineOption rows(u"rows"_s, u"Number of rows (1 … %1)."_s.arg(DemoDatabase::kMaxRows), u"N"_s);
    const QCommandLineOption outFile(u"out"_s, u"The database file to create (never overwritten)."_s, u"FILE"_s);
    const QCommandLineOption url(u"url"_s,
        u"Load the catalogue into a new table 'products' of this PostgreSQL database instead "
        "(postgresql://user@host:port/database; an existing table is never touched)."_s,
        u"URL"_s);
    const QCommandLineOption seed(u"seed"_s, u"Generator seed (default %1)."_s.arg(DemoDatabase::kDefaultSeed), u"S"_s,
        QString::number(DemoDatabase::kDefaultSeed));
    parser.addOptions({rows, outFile, url, seed});
    if (auto code = parse(parser, arguments, u"demo-db"_s))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return badInput(u"demo-db: unexpected argument '"_s + parser.positionalArguments().first() + u"'"_s);
    if (!parser.isSet(rows))
        return badInput(u"demo-db: --rows N is required"_s);
    if (parser.isSet(outFile) && parser.isSet(url))
        return badInput(u"demo-db: --out and --url name two databases; give one"_s);
    if (!parser.isSet(outFile) && !parser.isSet(url))
        return badInput(u"demo-db: --out FILE is required (or --url URL: a PostgreSQL database)"_s);
    bool ok = false;
    const qlonglong rowCount = parser.value(rows).toLongLong(&ok);
    if (!ok || rowCount < 1 || rowCount > DemoDatabase::kMaxRows)
        return badInput(u"demo-db: --rows must be a whole number from 1 to %1, not '%2'"_s.arg(DemoDatabase::kMaxRows)
                            .arg(parser.value(rows)));
    const qulonglong seedValue = parser.value(seed).toULongLong(&ok);
    if (!ok)
        return badInput(u"demo-db: --seed must be a whole number ≥ 0, not '"_s + parser.value(seed) + u"'"_s);
    if (parser.isSet(url))
        return demoDbOnServer(parser.value(url), rowCount, seedValue);
    const QString path = parser.value(outFile);
    if (const QString problem = checkedOutputPath(path, u"demo-db: --out"_s); !problem.isEmpty())
        return badInput(problem);
    if (QFileInfo::exists(path))
        return badInput(u"demo-db: '"_s + path + u"' already exists; not overwriting it"_s);
    sweepPartialFiles({path});
    const StopSignals stopSignals;
    QElapsedTimer timer;
    timer.start();
    try {
        DemoDatabase::create(path, rowCount, seedValue, [](std::int64_t) { throwIfInterrupted(); });
    } catch (const Interrupted &stop) {
        err() << "cachescope: demo-db: stopped by " << StopSignals::name(stop.signal) << "; '" << path
              << "' was not created" << Qt::endl;
        return StopSignals::exitCode(stop.signal);
    } catch (const DbError &error) {
        err() << "cachescope: demo-db: " << error.message() << Qt::endl;
        return kRunError;
    }
    out() << "created " << path << ": " << rowCount << " rows in table " << DemoDatabase::kTable << " ("
          << QString::number(double(timer.elapsed()) / 1000.0, 'f', 2) << " s, "
          << QString::number(double(QFileInfo(path).size()) / 1048576.0, 'f', 1) << " MiB)" << Qt::endl;
    return kPassed;
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Run an experiment headless: a baseline phase straight against the database, then a cached phase with "
        "the same seed. Exit code 0 when every acceptance criterion passes, 1 when one fails, 2 for bad input, 3 for "
        "a failure while running, 4 when inconclusive (none failed, some could not be judged)."_s);
    parser.addPositionalArgument(u"scenario"_s,
        u"Scenario JSON file, or the name of a preset (default: the built-in default scenario). Presets: "_s
            + presetNames() + u" (--list-presets says what each shows)."_s,
        u"[SCENARIO.json|PRESET]"_s);
    const QCommandLineOption set(
        u"set"_s, u"Override a scenario setting, e.g. cache.l1.ttl=30s (repeatable)."_s, u"KEY=VALUE"_s);
    const QCommandLineOption duration(u"duration"_s,
        u"Cached phase length in seconds; the baseline gets half unless "
        "duration.baseline is set."_s,
        u"SECONDS"_s);
    const QCommandLineOption report(u"report"_s,
        u"Write a report, in the format its extension names: .json (the full result), .html, .pdf, .csv (the "
        "time series), .xml (JUnit), .txt (the summary). Repeatable."_s,
        u"FILE"_s);
    const QCommandLineOption junit(u"junit"_s, u"Write the acceptance criteria as JUnit XML."_s, u"FILE"_s);
    const QCommandLineOption replaceOnError(u"replace-on-error"_s,
        u"When the run fails, write its error report over an earlier report of a run that did not fail "
        "(by default that report is kept)."_s);
    const QCommandLineOption quiet(u"quiet"_s, u"Print only the summary."_s);
    const QCommandLineOption listKeys(u"list-settings"_s, u"List every --set key with its default and exit."_s);
    const QCommandLineOption markdown(
        u"markdown"_s, u"With --list-settings: the table of docs/scenario.md (without its prose)."_s);
    const QCommandLineOption printScenario(
        u"print-scenario"_s, u"Print the scenario (after --set and --duration) as JSON and exit."_s);
    const QCommandLineOption listPresets(u"list-presets"_s, u"List the shipped scenario presets and exit."_s);
    const QCommandLineOption historyFile(u"history"_s,
        u"Save the run in this history file (default: CACHESCOPE_HISTORY, or history.sqlite in the data folder)."_s,
        u"FILE"_s);
    const QCommandLineOption noHistory(u"no-history"_s, u"Do not save the run in the history."_s);
    const QCommandLineOption label(
        u"label"_s, u"What the history calls the run (default: the scenario file or preset)."_s, u"TEXT"_s);
    parser.addOptions({set, duration, report, junit, replaceOnError, quiet, listKeys, markdown, printScenario,
        listPresets, historyFile, noHistory, label});
    if (auto code = parse(parser, arguments, u"run"_s))
        return *code;

    if (parser.isSet(listPresets)) {
        for (const ScenarioPreset &preset : scenarioPresets())
            out() << preset.name.leftJustified(12) << preset.description << '\n';
        out().flush();
        return kPassed;
    }
    if (parser.isSet(listKeys) && parser.isSet(markdown)) {
        out() << settingsMarkdown();
        out().flush();
        return kPassed;
    }
    if (parser.isSet(listKeys)) {
        // Columns as wide as their widest entry plus two spaces, so no two run together.
        qsizetype keyWidth = 0, kindWidth = 0, defaultWidth = 0;
        for (const SettingDef &setting : settingTable()) {
            keyWidth = std::max(keyWidth, setting.key.size());
            kindWidth = std::max(kindWidth, setting.kindName().size());
            defaultWidth = std::max(defaultWidth, setting.defaultText().size());
        }
        for (const SettingDef &setting : settingTable()) {
            const QString range = setting.rangeText().remove(u'`');
            out() << setting.key.leftJustified(keyWidth + 2) << setting.kindName().leftJustified(kindWidth + 2)
                  << (setting.defaultText().isEmpty() ? u"-"_s : setting.defaultText()).leftJustified(defaultWidth + 2)
                  << (setting.live ? u"live  "_s : u"      "_s) << setting.help
                  << (range.isEmpty() ? QString() : u" ("_s + range + u')')
                  << (setting.unit.isEmpty() ? QString() : u" ["_s + setting.unit + u']') << '\n';
        }
        out().flush();
        return kPassed;
    }

    Scenario scenario;
    const QStringList positional = parser.positionalArguments();
    QStringList scenarioFiles = positional; // read, so never written over by a report
    if (positional.size() > 1)
        return badInput(u"run: more than one scenario file given ('"_s + positional.join(u"', '"_s) + u"')"_s);
    try {
        bool fileSetsBaseline = false;
        if (!positional.isEmpty()) {
            // A file of that name wins over a preset of that name (`./tuned` is the user's own).
            const QString &named = positional.first();
            const ScenarioPreset *preset = QFileInfo::exists(named) ? nullptr : findPreset(named);
            if (!preset && !QFileInfo::exists(named) && !named.contains(u'/') && !named.contains(u'.'))
                return badInput(u"run: '"_s + named + u"' is neither a scenario file nor a preset (presets: "_s
                    + presetNames() + u")"_s);
            const QString file = preset ? preset->resourcePath() : named;
            scenario = Scenario::fromFile(file);
            fileSetsBaseline = Scenario::fileSets(file, u"duration.baseline"_s);
            if (preset)
                scenarioFiles.clear(); // built into the program: no file of the user's to protect
        }
        if (parser.isSet(duration)) {
            bool ok = false;
            const double seconds = parser.value(duration).toDouble(&ok);
            if (!ok || !(seconds > 0) || seconds > 86400)
                return badInput(u"run: --duration must be a number of seconds between 0 and 86400, not '"_s
                    + parser.value(duration) + u"'"_s);
            applyDuration(scenario, std::chrono::nanoseconds(std::llround(seconds * 1e9)), fileSetsBaseline);
        }
        // --set comes last, so an explicit duration.baseline wins over --duration's half.
        for (const QString &assignment : parser.values(set))
            scenario.applyAssignment(assignment);
        checkScenario(scenario);
    } catch (const ScenarioError &error) {
        return badInput(u"run: "_s + error.message());
    }
    if (parser.isSet(printScenario)) {
        out() << QJsonDocument(scenario.toPublicJson()).toJson(QJsonDocument::Indented);
        out().flush();
        return kPassed;
    }
    // Every output is checked before anything runs (and again when it is written).
    const QStringList inputs = ReportWriter::inputFiles(scenario, scenario.db.path) + scenarioFiles;
    QStringList outputs;
    for (const QString &path : parser.values(report)) {
        if (const QString problem = ReportWriter::checkPath(path, inputs); !problem.isEmpty())
            return badInput(u"run: --report "_s + problem);
        outputs << path;
    }
    if (parser.isSet(junit)) {
        const QString path = parser.value(junit);
        if (const QString problem = OutputFile::check(path, OutputKind::JUnitReport, inputs); !problem.isEmpty())
            return badInput(u"run: --junit: "_s + problem);
        outputs << path;
    }
    for (qsizetype i = 0; i < outputs.size(); ++i) {
        for (qsizetype j = 0; j < i; ++j) {
            if (QFileInfo(outputs[i]).absoluteFilePath() == QFileInfo(outputs[j]).absoluteFilePath())
                return badInput(u"run: '"_s + outputs[i] + u"' is named as an output twice"_s);
        }
    }
    sweepPartialFiles(outputs);
    // The history is opened before the run, so that one that cannot be used stops it here.
    std::unique_ptr<HistoryStore> history;
    if (parser.isSet(noHistory) && parser.isSet(historyFile))
        return badInput(u"run: --history and --no-history contradict each other"_s);
    if (!parser.isSet(noHistory)) {
        try {
            history = std::make_unique<HistoryStore>(
                parser.isSet(historyFile) ? parser.value(historyFile) : HistoryStore::defaultPath());
        } catch (const HistoryError &error) {
            // A history the user named must be usable; the default one (in the data folder) is a
            // convenience: without it the run goes on, unsaved, and says so.
            if (parser.isSet(historyFile))
                return badInput(u"run: "_s + error.message() + u" (--no-history runs without it)"_s);
            err() << "cachescope: " << error.message() << "; the run will not be saved in the history" << Qt::endl;
        }
    }
    const QString runLabel = parser.isSet(label)
        ? parser.value(label)
        : (positional.isEmpty() ? u"default"_s : QFileInfo(positional.first()).fileName());
    const StopSignals stopSignals;
    // The run's own preflight, before anything runs: database, table, key column, fields, trace,
    // warm-up sources. What it read is handed to the run.
    QString databasePath = scenario.db.url.isEmpty() ? scenario.db.path : DataSourceSpec::maskUrl(scenario.db.url);
    if (scenario.db.url.isEmpty() && !databasePath.isEmpty() && !QFileInfo::exists(databasePath))
        return badInput(u"run: db.path: database file '"_s + databasePath + u"' does not exist"_s);
    if (databasePath.isEmpty()) {
        if (!QFileInfo::exists(DemoDatabase::defaultPath()) && !parser.isSet(quiet)) {
            QTextStream(stderr) << u"Creating the demo database (%1 rows) at %2…\n"_s.arg(DemoDatabase::kDefaultRows)
                                       .arg(DemoDatabase::defaultPath());
        }
        try {
            databasePath = DemoDatabase::ensureDefault([](std::int64_t) { throwIfInterrupted(); });
        } catch (const Interrupted &stop) {
            err() << "cachescope: run: stopped by " << StopSignals::name(stop.signal)
                  << " while creating the demo database" << Qt::endl;
            return StopSignals::exitCode(stop.signal);
        } catch (const DbError &error) {
            QTextStream(stderr) << u"cachescope: run: "_s << error.message() << u'\n';
            return kRunError;
        }
    }
    std::shared_ptr<RunInputs> prepared;
    try {
        prepared = std::make_shared<RunInputs>(preflight(scenario, databasePath));
    } catch (const ProjectionError &error) {
        return badInput(u"run: workload.fields: "_s + error.message());
    } catch (const std::exception &error) {
        if (!isBadInput(error) && !dynamic_cast<const DbError *>(&error))
            throw;
        return badInput(u"run: "_s + QString::fromUtf8(error.what()));
    }

    const bool verbose = !parser.isSet(quiet);
    PhaseRunner runner;
    int exitCode = kRunError;
    double lastPrinted = -1.0;
    QObject::connect(&runner, &PhaseRunner::statusChanged, &runner, [verbose](const QString &message) {
        if (verbose)
            err() << message << Qt::endl;
    });
    QObject::connect(
        &runner, &PhaseRunner::phaseStarted, &runner, [&lastPrinted](Phase, double) { lastPrinted = -1.0; });
    QObject::connect(&runner, &PhaseRunner::snapshotReady, &runner, [verbose, &lastPrinted](const MetricsSnapshot &s) {
        if (!verbose || s.phaseTime - lastPrinted < 1.0)
            return;
        lastPrinted = s.phaseTime;
        err() << u"  "_s + phaseName(s.phase).leftJustified(9) << QString::number(s.phaseTime, 'f', 1).rightJustified(6)
              << " s  " << QString::number(s.requestsPerSecond(), 'f', 0).rightJustified(9) << " req/s  "
              << QString::number(s.dbStatementsPerSecond(), 'f', 0).rightJustified(9) << " db/s"
              << (s.phase != Phase::Baseline ? u"  hit rate "_s + QString::number(s.hitRate() * 100.0, 'f', 1) + u" %"_s
                                             : QString())
              << Qt::endl;
    });
    double lastWarmupPrint = -1.0;
    QObject::connect(
        &runner, &PhaseRunner::warmupProgress, &runner, [verbose, &lastWarmupPrint](const WarmupProgress &p) {
            if (!verbose || (!p.finished && p.elapsedS - lastWarmupPrint < 0.5))
                return;
            lastWarmupPrint = p.elapsedS;
            err() << u"  warm-up  %1 / %2 keys (%3 loaded), %4 s%5"_s.arg(p.keysDone)
                         .arg(p.keysTotal)
                         .arg(p.keysLoaded)
                         .arg(p.elapsedS, 0, 'f', 1)
                         .arg(p.finished ? u", over"_s : QString())
                  << Qt::endl;
        });
    // The first SIGINT or SIGTERM stops the run as the GUI's Stop button does; a second one exits.
    int stopSignal = 0;
    QObject::connect(&stopSignals, &StopSignals::stopRequested, &runner, [&](int signal) {
        stopSignal = signal;
        err() << "cachescope: " << StopSignals::name(signal)
              << ": stopping the run (the summary and reports cover what ran); again to exit at once" << Qt::endl;
        if (runner.isRunning())
            runner.stop();
        else
            QCoreApplication::exit(StopSignals::exitCode(signal));
    });
    QObject::connect(&runner, &PhaseRunner::runFinished, &runner, [&](const RunResult &finished) {
        if (finished.badInput) {
            // Found before anything ran: no summary, no report; the message says what to fix.
            exitCode = badInput(u"run: "_s + finished.error);
            QCoreApplication::exit(exitCode);
            return;
        }
        RunResult result = finished;
        if (stopSignal != 0)
            result.notes << u"stopped by %1"_s.arg(StopSignals::name(stopSignal));
        out() << '\n' << ReportWriter::textSummary(result);
        out().flush();
        exitCode = verdictExitCode(result);
        if (stopSignal != 0 && result.error.isEmpty())
            exitCode = StopSignals::exitCode(stopSignal);
        // A failed run's error report does not replace the report of a run that did not fail.
        const auto keep = [&](const QString &path, ReportWriter::Format format) {
            if (result.error.isEmpty() || parser.isSet(replaceOnError)
                || !ReportWriter::holdsSuccessfulReport(path, format))
                return false;
            err() << "cachescope: the run failed; kept the earlier report '" << path
                  << "' (--replace-on-error writes the failure over it)" << Qt::endl;
            return true;
        };
        for (const QString &path : parser.values(report)) {
            if (keep(path, *ReportWriter::formatOf(path)))
                continue;
            if (const QString problem = ReportWriter::write(result, path); !problem.isEmpty()) {
                err() << "cachescope: " << problem << Qt::endl;
                exitCode = kRunError;
            } else if (verbose) {
                err() << "report written to " << path << Qt::endl;
            }
        }
        if (parser.isSet(junit) && !keep(parser.value(junit), ReportWriter::Format::JUnit)) {
            if (const QString problem = ReportWriter::writeJUnit(result, parser.value(junit)); !problem.isEmpty()) {
                err() << "cachescope: " << problem << Qt::endl;
                exitCode = kRunError;
            }
        }
        if (history) {
            // The history is a record, not the run's outcome: a failure to save it is said, not fatal.
            try {
                const qint64 id = history->add(result, u"cli"_s, runLabel);
                if (verbose)
                    err() << "saved as run " << id << " in " << history->path() << Qt::endl;
            } catch (const HistoryError &error) {
                err() << "cachescope: " << error.message() << Qt::endl;
            }
        }
        QCoreApplication::exit(exitCode);
    });
    QMetaObject::invokeMethod(
        &runner,
        [&runner, scenario, prepared] {
            if (StopSignals::received() == 0)
                runner.startPrepared(scenario, prepared);
        },
        Qt::QueuedConnection);
    QCoreApplication::exec();
    return exitCode;
}

int simulate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Replay a key trace through one cache tier (no database) and print the hit "
                                     "ratio per policy and capacity. Every request is a get; every miss inserts."_s);
    const QCommandLineOption trace(u"trace"_s, u"The trace file."_s, u"FILE"_s);
    const QCommandLineOption format(u"format"_s,
        u"keys (one integer key per line), csv, or oracleGeneral (libCacheSim's binary records); a file "
        "compressed with zstd is read as it decompresses."_s,
        u"FORMAT"_s, u"keys"_s);
    const QCommandLineOption threads(
        u"threads"_s, u"Threads replaying the policies and capacities (0: one per core)."_s, u"N"_s, u"0"_s);
    const QCommandLineOption keyColumn(
        u"key-column"_s, u"CSV column holding the key, counted from 1."_s, u"N"_s, u"1"_s);
    const QCommandLineOption policy(u"policy"_s,
        u"Eviction policy, or several separated by commas: "_s + EvictionPolicy::names().join(u", "_s) + u'.',
        u"NAME"_s);
    const QCommandLineOption capacity(
        u"capacity"_s, u"Capacity in entries, or several separated by commas."_s, u"N[,N...]"_s);
    const QCommandLineOption json(u"json"_s, u"One JSON object per line and capacity."_s);
    parser.addOptions({trace, format, keyColumn, policy, capacity, json, threads});
    if (auto code = parse(parser, arguments, u"simulate"_s))
        return *code;
    if (!parser.positionalArguments().isEmpty())
        return badInput(u"simulate: unexpected argument '"_s + parser.positionalArguments().first() + u"'"_s);
    for (const auto *required : {&trace, &policy, &capacity}) {
        if (!parser.isSet(*required))
            return badInput(u"simulate: --"_s + required->names().first() + u" is required"_s);
    }
    const std::optional<TraceReplay::Format> named = TraceReplay::formatNamed(parser.value(format));
    if (!named)
        return badInput(
            u"simulate: --format must be keys, csv or oracleGeneral, not '"_s + parser.value(format) + u"'"_s);
    const TraceReplay::Format traceFormat = *named;
    bool ok = false;
    const int column = parser.value(keyColumn).toInt(&ok);
    if (!ok || column < 1)
        return badInput(
            u"simulate: --key-column must be a column number from 1, not '"_s + parser.value(keyColumn) + u"'"_s);
    const QStringList policies = parser.value(policy).split(u',', Qt::SkipEmptyParts);
    for (const QString &name : policies) {
        if (!EvictionPolicy::names().contains(name))
            return badInput(u"simulate: unknown policy '"_s + name + u"' (known: "_s
                + EvictionPolicy::names().join(u", "_s) + u')');
    }
    std::vector<std::size_t> capacities;
    for (const QString &text : parser.value(capacity).split(u',')) {
        const qulonglong value = text.trimmed().toULongLong(&ok);
        if (!ok || value < 1 || value > 1'000'000'000ULL)
            return badInput(u"simulate: --capacity takes whole numbers from 1 to 1000000000, not '"_s + text + u"'"_s);
        capacities.push_back(std::size_t(value));
    }
    if (policies.isEmpty())
        return badInput(u"simulate: --policy names no policy"_s);

    const uint threadCount = parser.value(threads).toUInt(&ok);
    if (!ok || threadCount > 1024)
        return badInput(u"simulate: --threads takes a number from 0 to 1024, not '"_s + parser.value(threads) + u"'"_s);
    // One pass over the trace feeds every policy and capacity: memory does not grow with its length.
    TraceReplay::MultiReplay replays(policies, capacities, threadCount);
    KeyTrace keys;
    std::uint64_t keyCount = 0;
    try {
        keys = TraceReplay::scan(parser.value(trace), traceFormat, column, [&](std::int64_t key) {
            ++keyCount;
            replays.access(key);
        });
    } catch (const std::exception &error) {
        return badInput(u"simulate: "_s + QString::fromUtf8(error.what()));
    }
    if (keys.badLines > 0) {
        err() << "simulate: ignored " << keys.badLines << " bad line(s) of " << keys.lines << " in "
              << parser.value(trace) << ": " << keys.badExamples.join(u"; "_s)
              << (keys.badLines > std::uint64_t(keys.badExamples.size()) ? "; ..." : "") << Qt::endl;
    }
    if (keyCount == 0)
        return badInput(u"simulate: '"_s + parser.value(trace) + u"' holds no valid key"_s);

    if (!parser.isSet(json))
        out() << "policy       capacity    requests        hits  hit ratio\n";
    for (const TraceReplay::Result &r : replays.results()) {
        if (parser.isSet(json)) {
            out() << QJsonDocument(
                QJsonObject {{u"policy"_s, r.policy}, {u"capacity"_s, qint64(r.capacity)},
                    {u"requests"_s, qint64(r.requests)}, {u"hits"_s, qint64(r.hits)}, {u"hit_ratio"_s, r.hitRatio()}})
                         .toJson(QJsonDocument::Compact)
                  << '\n';
        } else {
            out() << r.policy.leftJustified(10) << QString::number(r.capacity).rightJustified(11)
                  << QString::number(r.requests).rightJustified(12) << QString::number(r.hits).rightJustified(12)
                  << QString::number(r.hitRatio(), 'f', 4).rightJustified(11) << '\n';
        }
    }
    out().flush();
    return kPassed;
}

} // namespace

void sweepPartialFiles(const QStringList &outputs)
{
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QStringList dirs {data};
    for (const QString &sub : QDir(data).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        dirs << data + u'/' + sub; // the hot sets' folder
    for (const QString &path : outputs)
        dirs << QFileInfo(path).absolutePath();
    dirs.removeDuplicates();
    for (const QString &dir : dirs)
        PartialFiles::sweep(dir);
}

bool isSubcommand(const QString &name)
{
    return name == u"run"_s || name == u"demo-db"_s || name == u"simulate"_s || name == u"history"_s
        || name == u"compare"_s || name == u"report"_s;
}

QString usage()
{
    return uR"(Usage:
  cachescope                                  the GUI
  cachescope run [SCENARIO.json|PRESET] [--set KEY=VALUE]... [--duration SECONDS]
                 [--report FILE]... [--junit FILE] [--replace-on-error] [--quiet]
                 [--list-settings] [--print-scenario] [--list-presets]
                 [--history FILE | --no-history] [--label TEXT]
                                              headless experiment; exit 0 when every measured
                                              acceptance criterion passes, 1 when one fails;
                                              the run is saved in the history
  cachescope simulate --trace FILE [--format keys|csv|oracleGeneral] [--key-column N]
                      --policy NAME[,NAME...] --capacity N[,N...] [--json] [--threads N]
                                              replay a key trace through one cache tier, no
                                              database: hit ratio per policy and capacity
  cachescope demo-db --rows N --out FILE [--seed S]
                                              create the demo database
  cachescope history list [--json] | show ID | export ID --out FILE... | delete ID...
                     [--history FILE]         the runs saved by the GUI and by run
  cachescope compare RUN RUN [RUN...] [--fail-on-regression KPI[=T]]... [--json]
                                              2 to 5 runs side by side (result files or
                                              history run numbers); exit 1 on a regression
  cachescope report RESULT.json --out FILE... reports again from a saved result
  cachescope --help | --version

Exit codes: 0 every criterion passed, 1 a criterion failed, 2 bad input, 3 a failure while running,
4 inconclusive (none failed, some could not be judged: not measured, or too few requests or seconds),
130 / 143 stopped by SIGINT / SIGTERM (the summary and reports cover what ran).
Only files CacheScope wrote are ever replaced, and every write is atomic.
`cachescope COMMAND --help` describes a command.
)"_s;
}

int runSubcommand(const QStringList &arguments)
{
    const QString command = arguments.value(1);
    if (command == u"run"_s)
        return run(arguments);
    if (command == u"demo-db"_s)
        return demoDb(arguments);
    if (command == u"simulate"_s)
        return simulate(arguments);
    if (command == u"history"_s)
        return history(arguments);
    if (command == u"compare"_s)
        return compare(arguments);
    if (command == u"report"_s)
        return report(arguments);
    return badInput(u"unknown command '"_s + command
        + u"' (commands: run, simulate, demo-db, history, compare, report; see --help)"_s);
}

} // namespace cachescope::cli
