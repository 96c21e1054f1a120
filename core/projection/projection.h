#pragma once

#include "core/db/columnset.h"
#include "core/db/tableschema.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <stdexcept>

namespace cachescope {

/// A field list that failed validation. problems() names each offending field; the message
/// also lists the table's valid columns.
class ProjectionError : public std::runtime_error {
public:
    ProjectionError(const QString &message, QStringList problems);
    QString message() const { return QString::fromUtf8(what()); }
    const QStringList &problems() const { return m_problems; }

private:
    QStringList m_problems;
};

/// The fields of one table a workload asks for: a validated set of its columns, always with
/// the key column. Built only from names checked against the real schema, so no SQL is ever
/// made from text a user typed; identifiers are always quoted.
class Projection {
public:
    /// Every column of the table (SELECT * in table order).
    static Projection all(const TableSchema &schema);
    /// The named fields (plus the key column). Throws ProjectionError for an empty list, an empty
    /// name, a name that is not exactly a column of this table (a name differing only in case is
    /// named with its spelling in the table), or a name given twice — all of them in one message.
    static Projection fromFields(const TableSchema &schema, const QStringList &fields);
    /// fromFields() on a comma-separated list (blanks around names ignored); an empty or blank
    /// text, or "*", means all().
    static Projection parse(const TableSchema &schema, const QString &fieldList);

    const QString &table() const { return m_table; }
    const ColumnSet &columns() const { return m_columns; }
    /// The projected column names in table order (the key column included).
    QStringList fieldNames() const { return m_names; }
    /// True when the projection holds every column of the table.
    bool isAll() const { return m_all; }
    /// True when this projection's rows can answer \a narrower (same table, superset of columns).
    bool covers(const Projection &narrower) const;
    /// Position of the key column among the projected columns.
    int keyPosition() const { return m_keyPosition; }
    /// The quoted, comma-separated select list ("id", "name", ...).
    QString selectList() const;
    /// "id,name,price" (table order), or "*" for all columns: the text parse() accepts.
    QString toString() const;

private:
    QString m_table;
    ColumnSet m_columns;
    QStringList m_names;
    bool m_all = false;
    int m_keyPosition = 0;
};

} // namespace cachescope
