#include "core/db/demodatabase.h"

#include "core/db/database.h"
#include "core/db/pgconnection.h"
#include "core/io/partialfiles.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <random>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {

constexpr std::array kWords {"acoustic", "adjustable", "alloy", "ambient", "anodised", "balanced", "bamboo", "battery",
    "bluetooth", "brushed", "cable", "canvas", "carbon", "ceramic", "charging", "classic", "compact", "cordless",
    "cotton", "crafted", "curved", "daily", "deluxe", "digital", "double", "durable", "eco", "elegant", "ergonomic",
    "essential", "everyday", "extended", "fabric", "fast", "flexible", "foldable", "fresh", "glass", "grip", "handmade",
    "heavy", "high", "insulated", "kit", "leather", "light", "linen", "long", "magnetic", "matte", "memory", "metal",
    "modern", "modular", "natural", "noise", "oak", "organic", "outdoor", "padded", "pocket", "portable", "premium",
    "pro", "quick", "quiet", "recycled", "reusable", "rugged", "silicone", "slim", "smart", "soft", "solid", "sport",
    "stainless", "steel", "sturdy", "thermal", "travel", "ultra", "vintage", "warm", "waterproof", "wireless", "wool",
    "woven", "zero"};
constexpr std::array kNouns {"backpack", "blender", "bottle", "camera", "chair", "charger", "desk", "drill", "earbuds",
    "headphones", "jacket", "kettle", "keyboard", "lamp", "monitor", "mouse", "mug", "notebook", "pan", "router",
    "scarf", "shoes", "speaker", "tent", "towel", "watch", "wallet", "umbrella", "tripod", "thermos"};
constexpr std::array kBrands {"Acme", "Borealis", "Cobalt", "Dunmore", "Elmwood", "Fjordlight", "Granite & Co",
    "Halcyon", "Ironbark", "Juniper", "Kestrel", "Lumen", "Meridian", "Northwind"};
constexpr std::array kCategories {"Electronics", "Home", "Kitchen", "Outdoor", "Office", "Fashion", "Sports", "Tools"};
constexpr std::array kSubcategories {"Accessories", "Audio", "Bags", "Cookware", "Furniture", "Lighting", "Storage",
    "Wearables", "Camping", "Fitness", "Power", "Textiles"};
constexpr std::array kColors {"black", "white", "grey", "navy", "red", "green", "sand", "olive", "teal", "orange"};
constexpr std::array kWarehouses {"AMS-1", "BER-2", "DUB-1", "FRA-3", "LON-2", "MAD-1", "MIL-1", "PAR-4", "WAW-1"};
constexpr std::array kMaterials {
    "aluminium", "bamboo", "cotton", "glass", "leather", "nylon", "oak", "polyester", "silicone", "steel", "wool"};

template<typename... Args> QByteArray formatted(const char *format, Args... args)
{
    char buffer[512];
    const int n = std::snprintf(buffer, sizeof buffer, format, args...);
    return QByteArray(buffer, std::clamp(n, 0, int(sizeof buffer) - 1));
}

/// One product of the catalogue, in table order.
struct DemoRow {
    std::int64_t id = 0;
    QByteArray sku, name, brand, category, subcategory, shortDescription, description;
    double price = 0.0, listPrice = 0.0;
    QByteArray currency;
    std::int64_t stock = 0;
    QByteArray warehouse;
    std::int64_t weight = 0, width = 0, height = 0, depth = 0;
    QByteArray color;
    double rating = 0.0;
    std::int64_t reviewCount = 0;
    QByteArray attributes, imageUrl, createdAt, updatedAt;
};

class Generator {
public:
    explicit Generator(std::uint64_t seed)
        : m_rng(seed)
    {
    }

    std::uint64_t below(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(m_rng); }
    double between(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(m_rng); }
    template<typename Array> const char *pick(const Array &words) { return words[below(words.size())]; }

    QByteArray sentence(int minWords, int maxWords)
    {
        const int n = minWords + int(below(std::uint64_t(maxWords) - std::uint64_t(minWords) + 1));
        QByteArray out;
        out.reserve(qsizetype(n) * 9);
        for (int i = 0; i < n; ++i) {
            if (i)
                out.append(' ');
            out.append(i % 7 == 3 ? pick(kNouns) : pick(kWords));
        }
        if (!out.isEmpty())
            out[0] = char(std::toupper(static_cast<unsigned char>(out[0])));
        out.append('.');
        return out;
    }

    QByteArray paragraph(int sentences)
    {
        QByteArray out;
        for (int i = 0; i < sentences; ++i) {
            if (i)
                out.append(' ');
            out.append(sentence(8, 16));
        }
        return out;
    }

    QByteArray timestamp(int yearFrom)
    {
        return formatted("%04d-%02d-%02dT%02d:%02d:%02dZ", yearFrom + int(below(4)), 1 + int(below(12)),
            1 + int(below(28)), int(below(24)), int(below(60)), int(below(60)));
    }

    /// The row with key \a id (rows are generated in key order: the same seed, the same rows).
    void row(std::int64_t id, DemoRow &r)
    {
        Generator &g = *this;
        const char *brand = g.pick(kBrands);
        const char *noun = g.pick(kNouns);
        const double listPrice = std::round(g.between(4.0, 900.0) * 100.0) / 100.0;
        const double discount = g.below(3) == 0 ? g.between(0.05, 0.4) : 0.0;
        r.id = id;
        r.name = QByteArray(brand) + ' ' + g.pick(kWords) + ' ' + g.pick(kWords) + ' ' + noun;
        r.sku = formatted("%.3s-%08lld", noun, static_cast<long long>(id)).toUpper();
        r.attributes = formatted(
            R"({"material":"%s","warranty_years":%d,"energy_class":"%c","origin":"%s","tags":["%s","%s","%s"],"dimensions_unit":"mm","rating_histogram":[%d,%d,%d,%d,%d]})",
            g.pick(kMaterials), int(g.below(5)), char('A' + g.below(7)), g.pick(kWarehouses), g.pick(kWords),
            g.pick(kWords), g.pick(kWords), int(g.below(50)), int(g.below(80)), int(g.below(200)), int(g.below(600)),
            int(g.below(900)));
        // Drawn in the order the columns were always bound: the same seed gives the same data.
        r.brand = brand;
        r.category = g.pick(kCategories);
        r.subcategory = g.pick(kSubcategories);
        r.shortDescription = g.sentence(14, 20);
        r.description = g.paragraph(5);
        r.price = std::round(listPrice * (1.0 - discount) * 100.0) / 100.0;
        r.listPrice = listPrice;
        r.currency = "EUR";
        r.stock = std::int64_t(g.below(2000));
        r.warehouse = g.pick(kWarehouses);
        r.weight = std::int64_t(50 + g.below(20000));
        r.width = std::int64_t(10 + g.below(1200));
        r.height = std::int64_t(10 + g.below(1200));
        r.depth = std::int64_t(10 + g.below(800));
        r.color = g.pick(kColors);
        r.rating = std::round(g.between(1.0, 5.0) * 10.0) / 10.0;
        r.reviewCount = std::int64_t(g.below(5000));
        r.imageUrl = formatted("https://img.example.com/products/%lld/%s-main.jpg", static_cast<long long>(id), noun);
        r.createdAt = g.timestamp(2019);
        r.updatedAt = g.timestamp(2023);
    }

private:
    std::mt19937_64 m_rng;
};

void bindUtf8(Statement &stmt, int index, const QByteArray &text)
{
    if (sqlite3_bind_text64(
            stmt.handle(), index, text.constData(), sqlite3_uint64(text.size()), SQLITE_TRANSIENT, SQLITE_UTF8)
        != SQLITE_OK)
        throw DbError(SQLITE_ERROR, u"cannot bind demo data"_s);
}

} // namespace

void DemoDatabase::create(
    const QString &path, std::int64_t rows, std::uint64_t seed, const std::function<void(std::int64_t)> &progress)
{
    if (rows <= 0 || rows > kMaxRows)
        throw DbError(SQLITE_RANGE, u"row count must be between 1 and %1, not %2"_s.arg(kMaxRows).arg(rows));
    const QFileInfo target(path);
    if (target.exists())
        throw DbError(SQLITE_CANTOPEN, u"'"_s + path + u"' already exists; not overwriting it"_s);
    if (!target.absoluteDir().exists())
        throw DbError(SQLITE_CANTOPEN, u"directory '"_s + target.absolutePath() + u"' does not exist"_s);

    // Removed on any failure or signal, swept by the next start if the process was killed.
    PartialFile partial(path);
    {
        Database db(partial.path(), Database::OpenMode::Create);
        db.exec(u"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"_s);
        db.exec(u"CREATE TABLE products ("
                "id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, brand TEXT, "
                "category TEXT, subcategory TEXT, short_description TEXT, description TEXT, "
                "price REAL, list_price REAL, currency TEXT, stock INTEGER, warehouse TEXT, "
                "weight_g INTEGER, width_mm INTEGER, height_mm INTEGER, depth_mm INTEGER, color TEXT, "
                "rating REAL, review_count INTEGER, attributes TEXT, image_url TEXT, "
                "created_at TEXT, updated_at TEXT, version INTEGER NOT NULL DEFAULT 1)"_s);
        db.exec(u"BEGIN"_s);
        Statement insert = db.prepare(u"INSERT INTO products VALUES "
                                      "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,"
                                      "?21,?22,?23,?24,1)"_s);
        Generator g(seed);
        DemoRow row;
        for (std::int64_t id = 1; id <= rows; ++id) {
            g.row(id, row);
            int c = 1;
            insert.bind(c++, row.id);
            bindUtf8(insert, c++, row.sku);
            bindUtf8(insert, c++, row.name);
            bindUtf8(insert, c++, row.brand);
            bindUtf8(insert, c++, row.category);
            bindUtf8(insert, c++, row.subcategory);
            bindUtf8(insert, c++, row.shortDescription);
            bindUtf8(insert, c++, row.description);
            insert.bind(c++, row.price);
            insert.bind(c++, row.listPrice);
            bindUtf8(insert, c++, row.currency);
            insert.bind(c++, row.stock);
            bindUtf8(insert, c++, row.warehouse);
            insert.bind(c++, row.weight);
            insert.bind(c++, row.width);
            insert.bind(c++, row.height);
            insert.bind(c++, row.depth);
            bindUtf8(insert, c++, row.color);
            insert.bind(c++, row.rating);
            insert.bind(c++, row.reviewCount);
            bindUtf8(insert, c++, row.attributes);
            bindUtf8(insert, c++, row.imageUrl);
            bindUtf8(insert, c++, row.createdAt);
            bindUtf8(insert, c++, row.updatedAt);
            insert.step();
            insert.reset();
            if (progress && id % 10000 == 0)
                progress(id);
        }
        db.exec(u"COMMIT"_s);
        db.exec(u"PRAGMA synchronous=NORMAL"_s);
        // A database CacheScope owns runs in WAL mode (persistent in the file header).
        db.enableWal();
    }
    if (const QString error = partial.commit(false); !error.isEmpty())
        throw DbError(SQLITE_CANTOPEN, u"cannot move the new database into place at '"_s + path + u"': "_s + error);
    if (progress)
        progress(rows);
}

namespace {
// A value for COPY's text format: backslash, tab, newline and carriage return escaped.
void appendCopyText(QByteArray &line, const QByteArray &value)
{
    for (const char c : value) {
        switch (c) {
        case '\\':
            line += "\\\\";
            break;
        case '\t':
            line += "\\t";
            break;
        case '\n':
            line += "\\n";
            break;
        case '\r':
            line += "\\r";
            break;
        default:
            line += c;
        }
    }
}

void appendCopyNumber(QByteArray &line, double value)
{
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%.17g", value); // round-trips exactly
    line.append(buffer, n);
}

void appendCopyRow(QByteArray &out, const DemoRow &r)
{
    const auto text = [&out](const QByteArray &v) {
        appendCopyText(out, v);
        out += '\t';
    };
    const auto integer = [&out](std::int64_t v) {
        out += QByteArray::number(qint64(v));
        out += '\t';
    };
    const auto real = [&out](double v) {
        appendCopyNumber(out, v);
        out += '\t';
    };
    integer(r.id);
    text(r.sku);
    text(r.name);
    text(r.brand);
    text(r.category);
    text(r.subcategory);
    text(r.shortDescription);
    text(r.description);
    real(r.price);
    real(r.listPrice);
    text(r.currency);
    integer(r.stock);
    text(r.warehouse);
    integer(r.weight);
    integer(r.width);
    integer(r.height);
    integer(r.depth);
    text(r.color);
    real(r.rating);
    integer(r.reviewCount);
    text(r.attributes);
    text(r.imageUrl);
    text(r.createdAt);
    text(r.updatedAt);
    out += "1\n"; // version
}
} // namespace

void DemoDatabase::createOnServer(
    const QString &url, std::int64_t rows, std::uint64_t seed, const std::function<void(std::int64_t)> &progress)
{
    if (rows <= 0 || rows > kMaxRows)
        throw DbError(PgCode::kUsage, u"row count must be between 1 and %1, not %2"_s.arg(kMaxRows).arg(rows));
    PgConnection conn(url, std::chrono::seconds(600));
    PgConnection::Result exists = conn.execOrThrow("SELECT to_regclass('products') IS NOT NULL");
    if (QByteArray(PQgetvalue(exists.get(), 0, 0)) == "t") {
        throw DbError(PgCode::kUsage,
            u"table 'products' already exists on '"_s + conn.maskedUrl()
                + u"'; not replacing it (drop it, or name another database)"_s);
    }
    // One transaction: a failure or a stop leaves no table behind.
    conn.execOrThrow("BEGIN");
    try {
        conn.execOrThrow("CREATE TABLE products ("
                         "id bigint PRIMARY KEY, sku text NOT NULL UNIQUE, name text NOT NULL, brand text, "
                         "category text, subcategory text, short_description text, description text, "
                         "price double precision, list_price double precision, currency text, stock integer, "
                         "warehouse text, weight_g integer, width_mm integer, height_mm integer, depth_mm integer, "
                         "color text, rating double precision, review_count integer, attributes text, image_url text, "
                         "created_at text, updated_at text, version bigint NOT NULL DEFAULT 1)");
        Generator g(seed);
        DemoRow row;
        std::int64_t next = 1;
        conn.copyIn("COPY products FROM STDIN", [&](QByteArray &chunk) {
            if (next > rows)
                return false;
            chunk.clear();
            // About 1 MB a chunk.
            for (int i = 0; i < 1000 && next <= rows; ++i, ++next) {
                g.row(next, row);
                appendCopyRow(chunk, row);
                if (progress && next % 10000 == 0)
                    progress(next);
            }
            return true;
        });
        conn.execOrThrow("COMMIT");
    } catch (...) {
        conn.execBlocking("ROLLBACK");
        throw;
    }
    conn.execOrThrow("ANALYZE products");
    if (progress)
        progress(rows);
}

QString DemoDatabase::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + u"/demo.db"_s;
}

QString DemoDatabase::ensureDefault(const std::function<void(std::int64_t)> &progress)
{
    QString path = defaultPath();
    if (!QFileInfo::exists(path))
        create(path, kDefaultRows, kDefaultSeed, progress);
    return path;
}

} // namespace cachescope
