// The subcommands that work on saved runs: history, compare and report.
#include "app/cli.h"
#include "app/cliutil.h"

#include "core/io/outputfile.h"
#include "core/report/comparison.h"
#include "core/report/historystore.h"
#include "core/report/reportwriter.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <memory>

using namespace Qt::StringLiterals;

namespace cachescope::cli {

namespace {

QCommandLineOption historyOption()
{
    return QCommandLineOption(u"history"_s,
        u"The history file (default: CACHESCOPE_HISTORY, or history.sqlite in the data folder: %1)."_s.arg(
            HistoryStore::defaultPath()),
        u"FILE"_s);
}

// The history the options name, or a bad-input message.
std::unique_ptr<HistoryStore> openHistory(const QCommandLineParser &parser, const QString &command, int &code)
{
    const QString path = parser.isSet(u"history"_s) ? parser.value(u"history"_s) : HistoryStore::defaultPath();
    try {
        return std::make_unique<HistoryStore>(path);
    } catch (const HistoryError &e) {
        code = badInput(command + u": "_s + e.message());
        return nullptr;
    }
}

std::optional<qint64> runId(const QString &text)
{
    bool ok = false;
    const qint64 id = QString(text).remove(u'#').toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

QString localTime(const QDateTime &utc)
{
    return utc.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString kpiCell(const HistoryEntry &e, const QString &key)
{
    const KpiDef *def = findKpi(key);
    const auto it = e.kpis.constFind(key);
    return def && it != e.kpis.constEnd() ? def->format(*it) : u"—"_s;
}

QJsonObject entryJson(const HistoryEntry &e)
{
    QJsonObject kpis;
    for (const KpiDef &k : kpiTable()) {
        const auto it = e.kpis.constFind(k.key);
        kpis.insert(k.key, it == e.kpis.constEnd() ? QJsonValue(QJsonValue::Null) : QJsonValue(*it));
    }
    return QJsonObject {{u"id"_s, e.id}, {u"finished_at"_s, e.finishedAt.toString(Qt::ISODateWithMs)},
        {u"source"_s, e.source}, {u"label"_s, e.label}, {u"database"_s, e.database}, {u"verdict"_s, e.verdict},
        {u"duration_s"_s, e.durationS}, {u"settings"_s, QJsonArray::fromStringList(e.settings)},
        {u"criteria_passed"_s, e.criteriaPassed}, {u"criteria_failed"_s, e.criteriaFailed},
        {u"criteria_unmeasured"_s, e.criteriaUnmeasured}, {u"kpis"_s, kpis}};
}

int historyList(HistoryStore &store, bool json)
{
    const QList<HistoryEntry> entries = store.list();
    if (json) {
        for (const HistoryEntry &e : entries)
            out() << QJsonDocument(entryJson(e)).toJson(QJsonDocument::Compact) << '\n';
        out().flush();
        return kPassed;
    }
    if (entries.isEmpty()) {
        out() << "no runs in " << store.path() << '\n';
        out().flush();
        return kPassed;
    }
    out() << u"%1  %2  %3  %4  %5  %6  %7\n"_s.arg(u"id"_s, 5)
                 .arg(u"finished"_s, -19)
                 .arg(u"from"_s, -4)
                 .arg(u"verdict"_s, -12)
                 .arg(u"hit rate"_s, 8)
                 .arg(u"× base"_s, 7)
                 .arg(u"label · settings changed"_s);
    for (const HistoryEntry &e : entries) {
        QString what = e.label;
        if (!e.settings.isEmpty())
            what += (what.isEmpty() ? QString() : u" · "_s) + e.settings.join(u", "_s);
        out() << u"%1  %2  %3  %4  %5  %6  %7\n"_s.arg(e.id, 5)
                     .arg(localTime(e.finishedAt), -19)
                     .arg(e.source, -4)
                     .arg(e.verdict, -12)
                     .arg(kpiCell(e, u"hit_rate"_s), 8)
                     .arg(kpiCell(e, u"throughput_ratio"_s), 7)
                     .arg(printable(what));
    }
    out().flush();
    return kPassed;
}

// Why one of \a paths cannot take a report (format from its extension), naming it; empty when
// all can. Checked before any is written.
QString reportPathProblem(const QString &command, const QStringList &paths, const QStringList &inputs)
{
    for (qsizetype i = 0; i < paths.size(); ++i) {
        const QString &path = paths.at(i);
        for (const QString &input : inputs) {
            if (QFileInfo(path).absoluteFilePath() == QFileInfo(input).absoluteFilePath())
                return command + u": --out '"_s + path + u"' is the file being read"_s;
        }
        for (qsizetype j = 0; j < i; ++j) {
            if (QFileInfo(path).absoluteFilePath() == QFileInfo(paths.at(j)).absoluteFilePath())
                return command + u": '"_s + path + u"' is named as an output twice"_s;
        }
        if (const QString problem = ReportWriter::checkPath(path, inputs); !problem.isEmpty())
            return command + u": --out "_s + problem;
    }
    return {};
}

// Writes \a result to each of \a paths; the first failure, or empty.
QString writeReports(const RunResult &result, const QStringList &paths)
{
    for (const QString &path : paths) {
        if (QString problem = ReportWriter::write(result, path); !problem.isEmpty())
            return problem;
    }
    return {};
}

} // namespace

int history(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"The run history: every finished or stopped run, from the GUI or `cachescope run`.\n"
        "  list                    the runs, newest first\n"
        "  show ID                 one run's summary\n"
        "  export ID --out FILE    its result as a report (.json .html .pdf .csv .xml .txt); repeatable --out\n"
        "  delete ID...            remove runs"_s);
    parser.addPositionalArgument(u"action"_s, u"list, show, export or delete."_s, u"list|show|export|delete"_s);
    parser.addPositionalArgument(u"id"_s, u"A run's number (as list prints it)."_s, u"[ID...]"_s);
    const QCommandLineOption hist = historyOption();
    const QCommandLineOption outFile(u"out"_s, u"export: the file to write (repeatable)."_s, u"FILE"_s);
    const QCommandLineOption json(u"json"_s, u"list: one JSON object per run and line."_s);
    parser.addOptions({hist, outFile, json});
    if (auto code = parse(parser, arguments, u"history"_s))
        return *code;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const QStringList actions {u"list"_s, u"show"_s, u"export"_s, u"delete"_s};
    if (!actions.contains(action))
        return badInput(u"history: "_s
            + (action.isEmpty() ? u"an action is required"_s : u"unknown action '"_s + action + u"'"_s)
            + u" (list, show, export, delete)"_s);
    QList<qint64> ids;
    for (const QString &text : positional.mid(1)) {
        const std::optional<qint64> id = runId(text);
        if (!id)
            return badInput(u"history %1: '%2' is not a run number"_s.arg(action, text));
        ids.append(*id);
    }
    if (action == u"list"_s && !ids.isEmpty())
        return badInput(u"history list: unexpected argument '%1'"_s.arg(positional.value(1)));
    if ((action == u"show"_s || action == u"export"_s) && ids.size() != 1)
        return badInput(u"history %1: give exactly one run number"_s.arg(action));
    if (action == u"delete"_s && ids.isEmpty())
        return badInput(u"history delete: give the run numbers to delete"_s);
    if (action == u"export"_s && !parser.isSet(outFile))
        return badInput(u"history export: --out FILE is required"_s);
    if (action != u"export"_s && parser.isSet(outFile))
        return badInput(u"history %1: --out is for export"_s.arg(action));

    int code = kPassed;
    const std::unique_ptr<HistoryStore> store = openHistory(parser, u"history"_s, code);
    if (!store)
        return code;
    try {
        if (action == u"list"_s)
            return historyList(*store, parser.isSet(json));
        for (const qint64 id : ids) {
            if (!store->entry(id))
                return badInput(u"history %1: no run %2 in %3"_s.arg(action).arg(id).arg(store->path()));
        }
        if (action == u"delete"_s) {
            for (const qint64 id : ids) {
                store->remove(id);
                out() << "deleted run " << id << '\n';
            }
            out().flush();
            return kPassed;
        }
        const HistoryEntry entry = *store->entry(ids.first());
        if (action == u"show"_s) {
            const RunResult result = store->result(entry.id);
            out() << "run " << entry.id << (entry.label.isEmpty() ? QString() : u" · "_s + printable(entry.label))
                  << " · " << localTime(entry.finishedAt) << " · from " << entry.source << " · " << entry.verdict
                  << '\n';
            out() << "settings changed from the default: "
                  << (entry.settings.isEmpty() ? u"none"_s : entry.settings.join(u", "_s)) << "\n\n";
            out() << ReportWriter::textSummary(result);
            out().flush();
            return kPassed;
        }
        // export: every file checked before any is written.
        const QStringList paths = parser.values(outFile);
        if (const QString problem = reportPathProblem(u"history export"_s, paths, {store->path()}); !problem.isEmpty())
            return badInput(problem);
        if (const QString problem = writeReports(store->result(entry.id), paths); !problem.isEmpty()) {
            err() << "cachescope: history export: " << problem << Qt::endl;
            return kRunError;
        }
        for (const QString &path : paths)
            out() << "run " << entry.id << " written to " << path << '\n';
        out().flush();
        return kPassed;
    } catch (const HistoryError &e) {
        err() << "cachescope: history " << action << ": " << e.message() << Qt::endl;
        return kRunError;
    } catch (const ResultFormatError &e) {
        err() << "cachescope: history " << action << ": " << e.message() << Qt::endl;
        return kRunError;
    }
}

int compare(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Compare 2 to 5 runs: every KPI and the cached phase's throughput and latency side by side, with each "
        "run's change against the first and 95 % intervals where the figure has one. A run is a result JSON "
        "(run --report x.json) or a history run number (history list). Exit 1 when --fail-on-regression finds "
        "one."_s);
    parser.addPositionalArgument(
        u"runs"_s, u"Result files or history run numbers; the first is the reference."_s, u"RUN RUN [RUN...]"_s);
    const QCommandLineOption hist = historyOption();
    const QCommandLineOption regression(u"fail-on-regression"_s,
        u"Exit 1 when a later run is worse than the first at KPI by more than T (default 0), in the figure's "
        "units: 0.01 is one percentage point of a share, 0.5 half a multiple; for requests/s and latency a "
        "fraction of the first run's value. Repeatable. Figures: "_s
            + Comparison::rowKeys().join(u", "_s) + u'.',
        u"KPI[=T]"_s);
    const QCommandLineOption json(u"json"_s, u"Print the comparison as JSON."_s);
    const QCommandLineOption noise(u"noise-floor"_s,
        u"Differences within this fraction of the first run's value are no change, and never a regression "
        "(default 0.01: 1 %)."_s,
        u"FRACTION"_s);
    const QCommandLineOption outFile(u"out"_s,
        u"Also write the comparison to FILE: .html, .json or .txt by its extension. Repeatable."_s, u"FILE"_s);
    parser.addOptions({hist, regression, json, noise, outFile});
    if (auto code = parse(parser, arguments, u"compare"_s))
        return *code;
    double noiseFloor = Comparison::kDefaultNoiseFloor;
    if (parser.isSet(noise)) {
        bool ok = false;
        noiseFloor = parser.value(noise).toDouble(&ok);
        if (!ok || !std::isfinite(noiseFloor) || noiseFloor < 0 || noiseFloor >= 1)
            return badInput(
                u"compare: --noise-floor must be a fraction from 0 to below 1, not '%1'"_s.arg(parser.value(noise)));
    }
    const QStringList outputs = parser.values(outFile);
    for (const QString &path : outputs) {
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix != u"html"_s && suffix != u"json"_s && suffix != u"txt"_s)
            return badInput(u"compare: --out '%1': a comparison is written as .html, .json or .txt"_s.arg(path));
        const OutputKind kind = suffix == u"html"_s ? OutputKind::HtmlReport
            : suffix == u"json"_s                   ? OutputKind::ComparisonReport
                                                    : OutputKind::TextReport;
        if (const QString problem = OutputFile::check(path, kind, parser.positionalArguments()); !problem.isEmpty())
            return badInput(u"compare: --out "_s + problem);
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() < 2 || positional.size() > 5)
        return badInput(u"compare: give 2 to 5 runs, not %1"_s.arg(positional.size()));
    QList<RegressionRule> rules;
    try {
        for (const QString &text : parser.values(regression))
            rules.append(RegressionRule::parse(text));
    } catch (const ResultFormatError &e) {
        return badInput(u"compare: "_s + e.message());
    }
    QList<ComparedRun> runs;
    std::unique_ptr<HistoryStore> store;
    for (const QString &name : positional) {
        if (QFileInfo::exists(name)) {
            QFile file(name);
            if (!QFileInfo(name).isFile() || !file.open(QIODevice::ReadOnly))
                return badInput(u"compare: '"_s + name + u"' cannot be read"_s);
            QJsonParseError error {};
            const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
            if (!doc.isObject())
                return badInput(u"compare: '%1' is not JSON (%2)"_s.arg(name, error.errorString()));
            try {
                runs.append({QFileInfo(name).fileName(), RunResult::fromJson(doc.object())});
            } catch (const ResultFormatError &e) {
                return badInput(u"compare: '%1': %2"_s.arg(name, e.message()));
            }
            continue;
        }
        const std::optional<qint64> id = runId(name);
        if (!id)
            return badInput(u"compare: '"_s + name + u"' is neither a result file nor a history run number"_s);
        int code = kPassed;
        if (!store && !(store = openHistory(parser, u"compare"_s, code)))
            return code;
        try {
            const std::optional<HistoryEntry> entry = store->entry(*id);
            if (!entry)
                return badInput(u"compare: no run %1 in %2"_s.arg(*id).arg(store->path()));
            runs.append(
                {u"#%1"_s.arg(*id) + (entry->label.isEmpty() ? QString() : u' ' + entry->label), store->result(*id)});
        } catch (const std::exception &e) {
            return badInput(u"compare: run %1: %2"_s.arg(*id).arg(QString::fromUtf8(e.what())));
        }
    }
    Comparison comparison = Comparison::of(runs);
    comparison.noiseFloor = noiseFloor;
    const QList<Regression> found = comparison.regressions(rules);
    QJsonObject o = comparison.toJson();
    QJsonArray regressions;
    for (const Regression &r : found)
        regressions.append(
            QJsonObject {{u"key"_s, r.key}, {u"run"_s, r.run}, {u"delta"_s, r.delta}, {u"tolerance"_s, r.tolerance}});
    o.insert(u"regressions"_s, regressions);
    QString text = comparison.text();
    for (const Regression &r : found) {
        text += u"REGRESSION  %1 in %2: %3 against the first run (allowed %4, beyond the %5 % noise floor)\n"_s
                    .arg(r.key, r.run)
                    .arg(r.delta, 0, 'g', 4)
                    .arg(r.tolerance, 0, 'g', 4)
                    .arg(noiseFloor * 100.0, 0, 'g', 3);
    }
    out() << (parser.isSet(json) ? QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented)) : text);
    out().flush();
    for (const QString &path : outputs) {
        const QString suffix = QFileInfo(path).suffix().toLower();
        const QString problem = suffix == u"html"_s
            ? OutputFile::write(path, OutputKind::HtmlReport, comparison.html().toUtf8())
            : suffix == u"json"_s
            ? OutputFile::write(path, OutputKind::ComparisonReport, QJsonDocument(o).toJson(QJsonDocument::Indented))
            : OutputFile::write(path, OutputKind::TextReport,
                (u"CacheScope comparison of "_s + comparison.labels.join(u", "_s) + u"\n\n"_s + text).toUtf8());
        if (!problem.isEmpty()) {
            err() << "cachescope: compare: " << problem << Qt::endl;
            return kRunError;
        }
    }
    return found.isEmpty() ? kPassed : kFailed;
}

int report(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Write reports again from a saved result JSON: the KPIs, criteria and verdict "
                                     "are evaluated again from its phases. Exit code as the run's verdict."_s);
    parser.addPositionalArgument(u"result"_s, u"A result JSON (run --report x.json)."_s, u"RESULT.json"_s);
    const QCommandLineOption outFile(u"out"_s,
        u"A report to write, in the format its extension names (.json, .html, .pdf, .csv, .xml for JUnit, .txt); "
        "repeatable."_s,
        u"FILE"_s);
    parser.addOption(outFile);
    if (auto code = parse(parser, arguments, u"report"_s))
        return *code;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return badInput(u"report: give one result file"_s);
    if (!parser.isSet(outFile))
        return badInput(u"report: --out FILE is required"_s);
    const QString &input = positional.first();
    QFile file(input);
    if (!QFileInfo(input).isFile() || !file.open(QIODevice::ReadOnly))
        return badInput(u"report: '"_s + input + u"' cannot be read"_s);
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject())
        return badInput(u"report: '%1' is not JSON (%2)"_s.arg(input, error.errorString()));
    RunResult result;
    try {
        result = RunResult::fromJson(doc.object());
    } catch (const ResultFormatError &e) {
        return badInput(u"report: '%1': %2"_s.arg(input, e.message()));
    }
    const QStringList paths = parser.values(outFile);
    if (const QString problem = reportPathProblem(u"report"_s, paths, {input}); !problem.isEmpty())
        return badInput(problem);
    if (const QString problem = writeReports(result, paths); !problem.isEmpty()) {
        err() << "cachescope: report: " << problem << Qt::endl;
        return kRunError;
    }
    out() << ReportWriter::textSummary(result);
    out().flush();
    return verdictExitCode(result);
}

} // namespace cachescope::cli
