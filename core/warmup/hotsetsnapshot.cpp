#include "core/warmup/hotsetsnapshot.h"

#include "core/db/database.h"
#include "core/io/outputfile.h"
#include "core/io/partialfiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace cachescope::HotSetSnapshot {

namespace {
constexpr std::int64_t kApplicationId = 0x43534853; // 'CSHS'
constexpr std::int64_t kVersion = 1;

std::int64_t pragmaValue(Database &db, const QString &pragma)
{
    Statement st = db.prepare(u"PRAGMA "_s + pragma);
    return st.step() ? st.columnInt64(0) : 0;
}
} // namespace

QString defaultPath(const QString &database, const QString &table, const QString &keyColumn)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/hotsets"_s;
    QDir().mkpath(dir);
    const QByteArray identity = (QFileInfo(database).absoluteFilePath() + u'\n' + table + u'\n' + keyColumn).toUtf8();
    const QString hash
        = QString::fromLatin1(QCryptographicHash::hash(identity, QCryptographicHash::Sha256).toHex().left(16));
    QString safeTable = table;
    for (QChar &c : safeTable) {
        if (!c.isLetterOrNumber() && c != u'_')
            c = u'_';
    }
    return dir + u'/' + safeTable.left(40) + u'-' + hash + u".hotset"_s;
}

void save(const QString &path, const HotSet &hotSet, const std::function<void()> &beforeReplace)
{
    const QFileInfo target(path);
    if (!QDir().mkpath(target.absolutePath()))
        throw SnapshotError(u"cannot save the hot set: cannot create the folder %1"_s.arg(target.absolutePath()));
    // Never over a file that is not a snapshot: warmup.snapshot may name anything.
    if (const QString problem = OutputFile::check(path, OutputKind::HotSetSnapshot); !problem.isEmpty())
        throw SnapshotError(u"cannot save the hot set: "_s + problem);
    PartialFile partial(path);
    try {
        {
            Database db(partial.path(), Database::OpenMode::Create);
            // A fresh private file: no journal needed; synchronous=FULL syncs it at commit.
            db.exec(u"PRAGMA journal_mode=OFF; PRAGMA synchronous=FULL;"_s);
            db.exec(u"PRAGMA application_id=%1; PRAGMA user_version=%2;"_s.arg(kApplicationId).arg(kVersion));
            db.exec(u"BEGIN;"
                    "CREATE TABLE meta(name TEXT PRIMARY KEY, value) WITHOUT ROWID;"
                    "CREATE TABLE hot_keys(rank INTEGER PRIMARY KEY, key INTEGER NOT NULL, count INTEGER NOT NULL, "
                    "error INTEGER NOT NULL);"_s);
            Statement meta = db.prepare(u"INSERT INTO meta(name, value) VALUES (?, ?)"_s);
            const auto put = [&meta](const QString &name, const QString &value) {
                meta.bind(1, name);
                meta.bind(2, value);
                meta.step();
                meta.reset();
            };
            put(u"database"_s, hotSet.database);
            put(u"table"_s, hotSet.table);
            put(u"key_column"_s, hotSet.keyColumn);
            put(u"saved_at"_s, hotSet.savedAt.toUTC().toString(Qt::ISODateWithMs));
            put(u"observed"_s, QString::number(hotSet.observed));
            put(u"suggested_keys"_s, QString::number(hotSet.suggestedKeys));
            put(u"coverage"_s, QString::number(hotSet.coverage, 'g', 17));
            put(u"key_count"_s, QString::number(hotSet.keys.size()));
            Statement insert = db.prepare(u"INSERT INTO hot_keys(rank, key, count, error) VALUES (?, ?, ?, ?)"_s);
            for (std::size_t i = 0; i < hotSet.keys.size(); ++i) {
                const HotKey &k = hotSet.keys[i];
                insert.bind(1, std::int64_t(i));
                insert.bind(2, k.key);
                insert.bind(3, std::int64_t(k.count));
                insert.bind(4, std::int64_t(k.error));
                insert.step();
                insert.reset();
            }
            db.exec(u"COMMIT;"_s);
        }
        if (beforeReplace)
            beforeReplace();
        // rename(2) replaces the old file in one step: readers see the old snapshot or the new one.
        if (const QString error = partial.commit(); !error.isEmpty())
            throw SnapshotError(u"cannot save the hot set to %1: %2"_s.arg(path, error));
    } catch (const SnapshotError &) {
        throw;
    } catch (const std::exception &error) {
        throw SnapshotError(u"cannot save the hot set to %1: %2"_s.arg(path, QString::fromUtf8(error.what())));
    }
}

HotSet load(const QString &path)
{
    if (!QFileInfo::exists(path))
        throw SnapshotError(u"no hot-set snapshot at %1 yet"_s.arg(path));
    if (QFileInfo(path).size() == 0)
        throw SnapshotError(u"the hot-set snapshot %1 is empty"_s.arg(path));
    try {
        Database db(path, Database::OpenMode::ReadOnly);
        if (pragmaValue(db, u"application_id"_s) != kApplicationId)
            throw SnapshotError(u"%1 is not a CacheScope hot-set snapshot"_s.arg(path));
        if (const std::int64_t version = pragmaValue(db, u"user_version"_s); version != kVersion)
            throw SnapshotError(
                u"%1 is a hot-set snapshot of format %2; this CacheScope reads format %3"_s.arg(path).arg(version).arg(
                    kVersion));
        HotSet hotSet;
        std::int64_t keyCount = -1;
        Statement meta = db.prepare(u"SELECT name, value FROM meta"_s);
        while (meta.step()) {
            const QString name = meta.columnText(0);
            const QString value = meta.columnText(1);
            if (name == u"database"_s)
                hotSet.database = value;
            else if (name == u"table"_s)
                hotSet.table = value;
            else if (name == u"key_column"_s)
                hotSet.keyColumn = value;
            else if (name == u"saved_at"_s)
                hotSet.savedAt = QDateTime::fromString(value, Qt::ISODateWithMs);
            else if (name == u"observed"_s)
                hotSet.observed = value.toULongLong();
            else if (name == u"suggested_keys"_s)
                hotSet.suggestedKeys = value.toLongLong();
            else if (name == u"coverage"_s)
                hotSet.coverage = value.toDouble();
            else if (name == u"key_count"_s)
                keyCount = value.toLongLong();
        }
        if (hotSet.table.isEmpty() || keyCount < 0)
            throw SnapshotError(u"the hot-set snapshot %1 is incomplete (its description is missing)"_s.arg(path));
        Statement keys = db.prepare(u"SELECT rank, key, count, error FROM hot_keys ORDER BY rank"_s);
        while (keys.step()) {
            if (keys.columnInt64(0) != std::int64_t(hotSet.keys.size()))
                throw SnapshotError(
                    u"the hot-set snapshot %1 is damaged (rank %2 is missing)"_s.arg(path).arg(hotSet.keys.size()));
            hotSet.keys.push_back(
                {keys.columnInt64(1), std::uint64_t(keys.columnInt64(2)), std::uint64_t(keys.columnInt64(3))});
        }
        if (std::int64_t(hotSet.keys.size()) != keyCount)
            throw SnapshotError(u"the hot-set snapshot %1 is truncated (%2 of its %3 keys)"_s.arg(path)
                                    .arg(hotSet.keys.size())
                                    .arg(keyCount));
        return hotSet;
    } catch (const SnapshotError &) {
        throw;
    } catch (const std::exception &error) {
        throw SnapshotError(u"cannot read the hot-set snapshot %1: %2"_s.arg(path, QString::fromUtf8(error.what())));
    }
}

HotSet loadFor(const QString &path, const QString &database, const QString &table, const QString &keyColumn)
{
    HotSet hotSet = load(path);
    const QString expected = QFileInfo(database).absoluteFilePath();
    if (hotSet.database != expected || hotSet.table != table || hotSet.keyColumn != keyColumn) {
        throw SnapshotError(u"the hot-set snapshot %1 belongs to %2.%3 in %4, not to %5.%6 in %7"_s.arg(
            path, hotSet.table, hotSet.keyColumn, hotSet.database, table, keyColumn, expected));
    }
    return hotSet;
}

} // namespace cachescope::HotSetSnapshot
