#include "core/report/historystore.h"

#include "core/db/database.h"
#include "core/metrics/kpi.h"
#include "core/scenario/settings.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <sqlite3.h>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// 'CSRH': CacheScope run history (SQLite's application_id), and the schema's version.
constexpr int kApplicationId = 0x43535248;
constexpr int kSchemaVersion = 1;

const char16_t *const kSchema = uR"(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    finished_at TEXT NOT NULL,
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    database TEXT NOT NULL,
    verdict TEXT NOT NULL,
    duration_s REAL NOT NULL,
    settings TEXT NOT NULL,
    criteria_passed INTEGER NOT NULL,
    criteria_failed INTEGER NOT NULL,
    criteria_unmeasured INTEGER NOT NULL,
    result BLOB NOT NULL
);
CREATE TABLE run_kpis (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    kpi TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (run_id, kpi)
);
)";

const QString kColumns = u"id, finished_at, source, name, database, verdict, duration_s, settings, "
                         "criteria_passed, criteria_failed, criteria_unmeasured"_s;

std::int64_t pragma(Database &db, const QString &name)
{
    Statement st = db.prepare(u"PRAGMA "_s + name);
    return st.step() ? st.columnInt64(0) : 0;
}
} // namespace

struct HistoryStore::Impl {
    explicit Impl(Database database)
        : db(std::move(database))
    {
    }
    mutable Database db; // reading prepares statements too

    HistoryEntry readEntry(Statement &st) const
    {
        HistoryEntry e;
        e.id = st.columnInt64(0);
        e.finishedAt = QDateTime::fromString(st.columnText(1), Qt::ISODateWithMs);
        e.finishedAt.setTimeSpec(Qt::UTC);
        e.source = st.columnText(2);
        e.label = st.columnText(3);
        e.database = st.columnText(4);
        e.verdict = st.columnText(5);
        e.durationS = st.columnDouble(6);
        e.settings = st.columnText(7).split(u'\n', Qt::SkipEmptyParts);
        e.criteriaPassed = int(st.columnInt64(8));
        e.criteriaFailed = int(st.columnInt64(9));
        e.criteriaUnmeasured = int(st.columnInt64(10));
        return e;
    }

    void readKpis(QList<HistoryEntry> &entries, const QString &where) const
    {
        std::unordered_map<qint64, qsizetype> at;
        for (qsizetype i = 0; i < entries.size(); ++i)
            at.emplace(entries[i].id, i);
        Statement st = db.prepare(u"SELECT run_id, kpi, value FROM run_kpis "_s + where);
        while (st.step()) {
            const auto it = at.find(st.columnInt64(0));
            if (it != at.end())
                entries[it->second].kpis.insert(st.columnText(1), st.columnDouble(2));
        }
    }
};

HistoryStore::HistoryStore(const QString &path)
{
    const QFileInfo info(path);
    const bool existed = info.exists();
    if (existed && !info.isFile())
        throw HistoryError(u"history %1: not a regular file"_s.arg(path));
    if (!existed && !QDir().mkpath(info.absolutePath()))
        throw HistoryError(u"history %1: cannot create its folder"_s.arg(path));
    try {
        Database db(path, existed ? Database::OpenMode::ReadWrite : Database::OpenMode::Create);
        const std::int64_t appId = pragma(db, u"application_id"_s);
        const std::int64_t version = pragma(db, u"user_version"_s);
        const std::int64_t tables = [&db] {
            Statement st = db.prepare(u"SELECT count(*) FROM sqlite_schema"_s);
            return st.step() ? st.columnInt64(0) : 0;
        }();
        if (appId != kApplicationId && (tables > 0 || appId != 0))
            throw HistoryError(u"history %1: not a CacheScope history file (left unchanged)"_s.arg(path));
        if (appId == kApplicationId && version > kSchemaVersion)
            throw HistoryError(u"history %1: written by a newer CacheScope (schema %2; this one reads %3)"_s.arg(path)
                                   .arg(version)
                                   .arg(kSchemaVersion));
        db.exec(u"PRAGMA foreign_keys = ON"_s);
        if (tables == 0) {
            db.exec(u"BEGIN IMMEDIATE"_s);
            db.exec(QString::fromUtf16(kSchema));
            db.exec(u"PRAGMA application_id = %1; PRAGMA user_version = %2"_s.arg(kApplicationId).arg(kSchemaVersion));
            db.exec(u"COMMIT"_s);
        }
        db.enableWal();
        d = std::make_unique<Impl>(std::move(db));
    } catch (const DbError &e) {
        throw HistoryError(u"history %1: %2"_s.arg(path, e.message()));
    }
}

HistoryStore::~HistoryStore() = default;

QString HistoryStore::defaultPath()
{
    QString fromEnv = qEnvironmentVariable("CACHESCOPE_HISTORY");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s;
}

QString HistoryStore::verdictOf(const RunResult &result)
{
    if (!result.error.isEmpty())
        return u"error"_s;
    if (result.stopped)
        return u"stopped"_s;
    return verdictName(result.verdict);
}

QString HistoryStore::path() const
{
    return d->db.path();
}

qint64 HistoryStore::add(
    const RunResult &result, const QString &source, const QString &label, const QDateTime &finishedAt)
{
    int passed = 0;
    int failed = 0;
    int unmeasured = 0;
    for (const CriterionResult &c : result.criteria) {
        if (!c.passed)
            ++unmeasured;
        else if (*c.passed)
            ++passed;
        else
            ++failed;
    }
    double seconds = 0.0;
    for (const auto *phase : {&result.baseline, &result.cold, &result.cached}) {
        if (*phase)
            seconds += (*phase)->durationS;
    }
    const QByteArray blob = qCompress(QJsonDocument(result.toJson()).toJson(QJsonDocument::Compact), 6);
    try {
        d->db.exec(u"BEGIN IMMEDIATE"_s);
        Statement st = d->db.prepare(u"INSERT INTO runs (finished_at, source, name, database, verdict, duration_s, "
                                     "settings, criteria_passed, criteria_failed, criteria_unmeasured, result) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        st.bind(1, finishedAt.toUTC().toString(Qt::ISODateWithMs));
        st.bind(2, source);
        st.bind(3, label);
        st.bind(4, result.databasePath);
        st.bind(5, verdictOf(result));
        st.bind(6, seconds);
        st.bind(7, settingsChangedFromDefault(result.scenario).join(u'\n'));
        st.bind(8, std::int64_t(passed));
        st.bind(9, std::int64_t(failed));
        st.bind(10, std::int64_t(unmeasured));
        st.bindBlob(11, blob);
        st.step();
        const qint64 id = sqlite3_last_insert_rowid(d->db.handle());
        Statement kpi = d->db.prepare(u"INSERT INTO run_kpis (run_id, kpi, value) VALUES (?, ?, ?)"_s);
        for (const KpiDef &def : kpiTable()) {
            const std::optional<double> value = result.kpi(def.key);
            if (!value)
                continue;
            kpi.reset();
            kpi.bind(1, std::int64_t(id));
            kpi.bind(2, def.key);
            kpi.bind(3, *value);
            kpi.step();
        }
        d->db.exec(u"COMMIT"_s);
        return id;
    } catch (const DbError &e) {
        try {
            d->db.exec(u"ROLLBACK"_s);
        } catch (const DbError &) {
            // Nothing was begun, or SQLite rolled back already.
        }
        throw HistoryError(u"history %1: the run was not saved: %2"_s.arg(path(), e.message()));
    }
}

QList<HistoryEntry> HistoryStore::list() const
{
    QList<HistoryEntry> entries;
    try {
        Statement st = d->db.prepare(u"SELECT "_s + kColumns + u" FROM runs ORDER BY id DESC"_s);
        while (st.step())
            entries.append(d->readEntry(st));
        d->readKpis(entries, QString());
    } catch (const DbError &e) {
        throw HistoryError(u"history %1: %2"_s.arg(path(), e.message()));
    }
    return entries;
}

std::optional<HistoryEntry> HistoryStore::entry(qint64 id) const
{
    try {
        Statement st = d->db.prepare(u"SELECT "_s + kColumns + u" FROM runs WHERE id = ?"_s);
        st.bind(1, std::int64_t(id));
        if (!st.step())
            return std::nullopt;
        QList<HistoryEntry> one {d->readEntry(st)};
        d->readKpis(one, u"WHERE run_id = %1"_s.arg(id));
        return one.first();
    } catch (const DbError &e) {
        throw HistoryError(u"history %1: %2"_s.arg(path(), e.message()));
    }
}

QJsonObject HistoryStore::resultJson(qint64 id) const
{
    QByteArray blob;
    try {
        Statement st = d->db.prepare(u"SELECT result FROM runs WHERE id = ?"_s);
        st.bind(1, std::int64_t(id));
        if (!st.step())
            throw HistoryError(u"history %1: no run %2"_s.arg(path()).arg(id));
        blob = st.columnBlob(0);
    } catch (const DbError &e) {
        throw HistoryError(u"history %1: %2"_s.arg(path(), e.message()));
    }
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(qUncompress(blob), &error);
    if (!doc.isObject())
        throw HistoryError(u"history %1: run %2 is damaged (%3)"_s.arg(path()).arg(id).arg(error.errorString()));
    return doc.object();
}

RunResult HistoryStore::result(qint64 id) const
{
    return RunResult::fromJson(resultJson(id));
}

bool HistoryStore::relabel(qint64 id, const QString &label)
{
    try {
        Statement st = d->db.prepare(u"UPDATE runs SET name = ? WHERE id = ?"_s);
        st.bind(1, label);
        st.bind(2, std::int64_t(id));
        st.step();
        return sqlite3_changes(d->db.handle()) > 0;
    } catch (const DbError &e) {
        throw HistoryError(u"history %1: %2"_s.arg(path(), e.message()));
    }
}

bool HistoryStore::remove(qint64 id)
{
    try {
        Statement st = d->db.prepare(u"DELETE FROM runs WHERE id = ?"_s);
        st.bind(1, std::int64_t(id));
        st.step();
        return sqlite3_changes(d->db.handle()) > 0;
    } catch (const DbError &e) {
        throw HistoryError(u"history %1: %2"_s.arg(path(), e.message()));
    }
}

} // namespace cachescope
