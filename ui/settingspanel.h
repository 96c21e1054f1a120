#pragma once

#include "core/db/tableschema.h"
#include "core/load/datasource.h"
#include "core/scenario/scenario.h"
#include "core/scenario/settings.h"

#include <QFutureWatcher>
#include <QHash>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QVBoxLayout;

namespace cachescope {

class SettingField;

/// The scenario settings on the workbench's left, one SettingField for every setting of the
/// settings table, in groups (Database, Workload, Cache L1, Cache L2, Cache behaviour, Phases,
/// Warm-up, Engine) that fold, in a panel that scrolls when the window is short. It reads the
/// database's tables, their columns and usable keys off the GUI thread and offers them in the
/// table and key selectors, and says when a control that applies mid-run changes; what a change
/// means for a run is MainWindow's business.
class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget *parent = nullptr);
    ~SettingsPanel() override;

    /// Fills the controls from a scenario (the database path included).
    void setScenario(const Scenario &scenario);
    /// The scenario the controls describe; what they do not show comes from the last
    /// setScenario().
    Scenario scenario() const;
    /// The database chosen: empty for the demo database.
    QString databasePath() const { return m_databasePath; }
    /// Shows the chosen database (the demo database's file when none is) and reads its columns
    /// when the file exists.
    void showDatabase();
    /// During a run only the controls that apply live (clients, cache tiers) stay enabled.
    void setRunning(bool running);
    /// Checks what is typed in every field (as leaving it would); the reasons of those refused,
    /// each naming its setting, plus a table that cannot be read by any key. Empty: ready to run.
    QStringList problems();
    /// The field of setting \a key, or null.
    SettingField *field(const QString &key) const;
    /// Asks for a database file (a file dialog) and shows it.
    void chooseDatabase();
    /// True once the chosen database's tables have been read (or could not be).
    bool schemaRead() const { return m_schemaRead; }

Q_SIGNALS:
    /// A control that applies mid-run (clients, cache capacities, TTLs, policies, mode) changed.
    void liveSettingEdited();
    /// The user chose another database, or the demo database again.
    void databaseChosen();
    /// "Save hot set now" was clicked.
    void saveHotSetRequested();
    /// Something the user should read in the status bar (the table's columns could not be read).
    void problemFound(const QString &message);

protected:
    /// A wheel turned over a spin box or list that does not have the focus scrolls the panel
    /// instead of changing the value (and sending a live change).
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void chooseFile(SettingField *field);
    void loadSchema(const DataSourceSpec &spec);
    std::optional<DataSourceSpec> m_pendingSchema; // chosen while another was being read
    void showSchema();
    /// The tables' keys and columns for the table now chosen: fills the key selector and the
    /// field list, and says plainly when the table has no usable key.
    void showTable();
    QString checkedFields() const;
    QWidget *makeGroup(QVBoxLayout *layout, const char *title, const QStringList &keys, bool open = true);
    /// The Criteria group: per KPI, whether it is judged, ≥ or ≤, and its target.
    void makeCriteria(QVBoxLayout *layout);
    /// The criterion row \a kpi describes, or why its target cannot be read.
    struct CriterionRow {
        QString kpi;
        QCheckBox *judged = nullptr;
        QComboBox *op = nullptr;
        QLineEdit *target = nullptr;
        QLabel *error = nullptr;
        QString name; // the criterion's name in the scenario (kept across edits)
        QString shown; // the target as setScenario() showed it
        double given = 0.0; // the target setScenario() was given
    };
    std::vector<CriterionRow> m_criteria;
    /// The target \a row holds, in the KPI's own units (a share as a fraction); nullopt with the
    /// reason in its error label.
    std::optional<double> criterionTarget(const CriterionRow &row) const;

    QString m_databasePath; // empty = the demo database
    Scenario m_baseScenario; // what the controls do not show
    /// The database's tables, read off the GUI thread.
    struct Schema {
        QList<TableChoice> tables;
        QString error; ///< why they could not be read
    };
    QFutureWatcher<Schema> m_schemaWatcher;
    Schema m_schema;
    bool m_schemaRead = false;
    QString m_tableProblem; // the chosen table has no usable key, or is not in the file
    QString m_fields; // workload.fields to show once the columns are known
    bool m_columnsShown = false;

    void fieldCommitted(const SettingField *field);
    std::vector<SettingField *> m_controls; // one per setting shown, made from the settings table
    bool m_filling = false; // setScenario() is filling the controls: no live edits
    QLabel *m_schemaNote = nullptr; // what is wrong with the chosen table, until it is fixed
    QLineEdit *m_database = nullptr;
    QListWidget *m_fieldList = nullptr;
    QPushButton *m_saveHotSet = nullptr;
    QWidget *m_viewport = nullptr; // of the scroll area
    // The database chooser: a SQLite file or a PostgreSQL server, and the server's test.
    static const QStringList &serverKeys(); // the settings only a server has
    bool isServer() const;
    void showDatabaseKind();
    void chooseDatabaseKind();
    void testConnection();
    void showConnectionCheck();
    void showStatus(const QString &text, bool problem);
    QHash<QString, QWidget *> m_rows; // each setting's row in its group's form
    QFormLayout *m_dbForm = nullptr;
    QWidget *m_fileRow = nullptr;
    QComboBox *m_databaseKind = nullptr;
    QLabel *m_connectionStatus = nullptr; // what the last test of the server found
    QString m_setAsideUrl; // db.url while the file is chosen
    QFutureWatcher<ConnectionCheck> m_checkWatcher;
};

} // namespace cachescope
