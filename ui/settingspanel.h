#pragma once

#include "core/scenario/scenario.h"
#include "core/scenario/settings.h"

#include <QFutureWatcher>
#include <QWidget>

#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace cachescope {

/// The scenario settings on the workbench's left: database, workload, projection fields, cache
/// tiers, phases and warm-up, in a panel that scrolls when the window is short. It reads the
/// table's columns off the GUI thread, and says when a control that applies mid-run changes;
/// what a change means for a run is MainWindow's business.
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
    void chooseDatabase();
    void loadColumns(const QString &path);
    void showColumns();
    QString checkedFields() const;

    QString m_databasePath; // empty = the demo database
    Scenario m_baseScenario; // what the controls do not show
    /// The table's columns, read off the GUI thread.
    struct Columns {
        QStringList names; ///< in table order
        QString key; ///< the key column
        QString error; ///< why they could not be read
    };
    QFutureWatcher<Columns> m_columnsWatcher;
    QString m_fields; // workload.fields to show once the columns are known
    bool m_columnsShown = false;

    // One control per setting shown, made from the settings table: its range, unit, choices and
    // whether it stays enabled during a run.
    struct Control {
        const SettingDef *setting = nullptr; ///< the setting it edits
        QWidget *widget = nullptr; ///< a spin box, combo box or line edit named after the key
    };
    QWidget *makeControl(const QString &key);
    void controlEdited(const SettingDef &setting);
    static void showValue(const Control &c, const Scenario &s);
    void readValue(const Control &c, Scenario &s) const;
    std::vector<Control> m_controls;
    bool m_filling = false; // setScenario() is filling the controls: no live edits
    QLineEdit *m_database = nullptr;
    QListWidget *m_fieldList = nullptr;
    QPushButton *m_saveHotSet = nullptr;
    QWidget *m_viewport = nullptr; // of the scroll area
};

} // namespace cachescope
