# Generated from ui/cycle_dialog.ui by tools/build_ui.py (pyside6-uic). DO NOT EDIT:
# change the form in Qt Designer and run `python tools/build_ui.py`.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDateEdit,
    QDialog, QDialogButtonBox, QFormLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_CycleDialog(object):
    def setupUi(self, CycleDialog):
        if not CycleDialog.objectName():
            CycleDialog.setObjectName(u"CycleDialog")
        CycleDialog.resize(560, 540)
        self.outer_layout = QVBoxLayout(CycleDialog)
        self.outer_layout.setObjectName(u"outer_layout")
        self.intro_label = QLabel(CycleDialog)
        self.intro_label.setObjectName(u"intro_label")
        self.intro_label.setWordWrap(True)

        self.outer_layout.addWidget(self.intro_label)

        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.teacher_label = QLabel(CycleDialog)
        self.teacher_label.setObjectName(u"teacher_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.teacher_label)

        self.teacher_combo = QComboBox(CycleDialog)
        self.teacher_combo.setObjectName(u"teacher_combo")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.teacher_combo.sizePolicy().hasHeightForWidth())
        self.teacher_combo.setSizePolicy(sizePolicy)

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.teacher_combo)

        self.observer_label = QLabel(CycleDialog)
        self.observer_label.setObjectName(u"observer_label")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.observer_label)

        self.observer_combo = QComboBox(CycleDialog)
        self.observer_combo.setObjectName(u"observer_combo")
        sizePolicy.setHeightForWidth(self.observer_combo.sizePolicy().hasHeightForWidth())
        self.observer_combo.setSizePolicy(sizePolicy)

        self.form_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.observer_combo)

        self.co_observers_label = QLabel(CycleDialog)
        self.co_observers_label.setObjectName(u"co_observers_label")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.co_observers_label)

        self.co_observer_list = QListWidget(CycleDialog)
        self.co_observer_list.setObjectName(u"co_observer_list")
        sizePolicy1 = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy1.setHorizontalStretch(0)
        sizePolicy1.setVerticalStretch(0)
        sizePolicy1.setHeightForWidth(self.co_observer_list.sizePolicy().hasHeightForWidth())
        self.co_observer_list.setSizePolicy(sizePolicy1)
        self.co_observer_list.setMaximumSize(QSize(16777215, 84))
        self.co_observer_list.setUniformItemSizes(True)

        self.form_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.co_observer_list)

        self.protocol_label = QLabel(CycleDialog)
        self.protocol_label.setObjectName(u"protocol_label")

        self.form_layout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.protocol_label)

        self.protocol_combo = QComboBox(CycleDialog)
        self.protocol_combo.setObjectName(u"protocol_combo")
        sizePolicy.setHeightForWidth(self.protocol_combo.sizePolicy().hasHeightForWidth())
        self.protocol_combo.setSizePolicy(sizePolicy)

        self.form_layout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.protocol_combo)

        self.protocol_about_layout = QVBoxLayout()
        self.protocol_about_layout.setSpacing(4)
        self.protocol_about_layout.setObjectName(u"protocol_about_layout")
        self.protocol_description_label = QLabel(CycleDialog)
        self.protocol_description_label.setObjectName(u"protocol_description_label")
        sizePolicy1.setHeightForWidth(self.protocol_description_label.sizePolicy().hasHeightForWidth())
        self.protocol_description_label.setSizePolicy(sizePolicy1)
        self.protocol_description_label.setWordWrap(True)
        self.protocol_description_label.setTextFormat(Qt.TextFormat.PlainText)

        self.protocol_about_layout.addWidget(self.protocol_description_label)

        self.protocol_outline_label = QLabel(CycleDialog)
        self.protocol_outline_label.setObjectName(u"protocol_outline_label")
        sizePolicy1.setHeightForWidth(self.protocol_outline_label.sizePolicy().hasHeightForWidth())
        self.protocol_outline_label.setSizePolicy(sizePolicy1)
        self.protocol_outline_label.setWordWrap(True)
        self.protocol_outline_label.setTextFormat(Qt.TextFormat.PlainText)

        self.protocol_about_layout.addWidget(self.protocol_outline_label)


        self.form_layout.setLayout(4, QFormLayout.ItemRole.FieldRole, self.protocol_about_layout)

        self.focus_label = QLabel(CycleDialog)
        self.focus_label.setObjectName(u"focus_label")

        self.form_layout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.focus_label)

        self.focus_edit = QLineEdit(CycleDialog)
        self.focus_edit.setObjectName(u"focus_edit")

        self.form_layout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.focus_edit)

        self.evidence_label = QLabel(CycleDialog)
        self.evidence_label.setObjectName(u"evidence_label")

        self.form_layout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.evidence_label)

        self.evidence_edit = QPlainTextEdit(CycleDialog)
        self.evidence_edit.setObjectName(u"evidence_edit")
        self.evidence_edit.setTabChangesFocus(True)

        self.form_layout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.evidence_edit)

        self.date_label = QLabel(CycleDialog)
        self.date_label.setObjectName(u"date_label")

        self.form_layout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.date_label)

        self.date_edit = QDateEdit(CycleDialog)
        self.date_edit.setObjectName(u"date_edit")
        self.date_edit.setCalendarPopup(True)

        self.form_layout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.date_edit)


        self.outer_layout.addLayout(self.form_layout)

        self.error_label = QLabel(CycleDialog)
        self.error_label.setObjectName(u"error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)

        self.outer_layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox(CycleDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.outer_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.teacher_label.setBuddy(self.teacher_combo)
        self.observer_label.setBuddy(self.observer_combo)
        self.co_observers_label.setBuddy(self.co_observer_list)
        self.protocol_label.setBuddy(self.protocol_combo)
        self.focus_label.setBuddy(self.focus_edit)
        self.evidence_label.setBuddy(self.evidence_edit)
        self.date_label.setBuddy(self.date_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.teacher_combo, self.observer_combo)
        QWidget.setTabOrder(self.observer_combo, self.co_observer_list)
        QWidget.setTabOrder(self.co_observer_list, self.protocol_combo)
        QWidget.setTabOrder(self.protocol_combo, self.focus_edit)
        QWidget.setTabOrder(self.focus_edit, self.evidence_edit)
        QWidget.setTabOrder(self.evidence_edit, self.date_edit)

        self.retranslateUi(CycleDialog)
    # setupUi

    def retranslateUi(self, CycleDialog):
        CycleDialog.setWindowTitle(QCoreApplication.translate("CycleDialog", u"Plan a cycle", None))
        self.intro_label.setText(QCoreApplication.translate("CycleDialog", u"Record what you agreed in the pre-conference: who is observed, by whom, with which protocol, and the focus.", None))
        self.teacher_label.setText(QCoreApplication.translate("CycleDialog", u"&Teacher", None))
#if QT_CONFIG(accessibility)
        self.teacher_combo.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Observed teacher", None))
#endif // QT_CONFIG(accessibility)
        self.observer_label.setText(QCoreApplication.translate("CycleDialog", u"O&bserver", None))
#if QT_CONFIG(accessibility)
        self.observer_combo.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Observer", None))
#endif // QT_CONFIG(accessibility)
        self.co_observers_label.setText(QCoreApplication.translate("CycleDialog", u"Co-ob&servers", None))
#if QT_CONFIG(accessibility)
        self.co_observer_list.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Co-observers", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.co_observer_list.setAccessibleDescription(QCoreApplication.translate("CycleDialog", u"Colleagues who watch the same lesson and record it on their own laptop, to calibrate with the observer. Space ticks the person chosen.", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.co_observer_list.setToolTip(QCoreApplication.translate("CycleDialog", u"Colleagues who watch the same lesson and record it on their own laptop, to calibrate with the observer. Space ticks the person chosen.", None))
#endif // QT_CONFIG(tooltip)
        self.protocol_label.setText(QCoreApplication.translate("CycleDialog", u"&Protocol", None))
#if QT_CONFIG(accessibility)
        self.protocol_combo.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Protocol", None))
#endif // QT_CONFIG(accessibility)
        self.focus_label.setText(QCoreApplication.translate("CycleDialog", u"&Focus", None))
#if QT_CONFIG(accessibility)
        self.focus_edit.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Focus", None))
#endif // QT_CONFIG(accessibility)
        self.focus_edit.setPlaceholderText(QCoreApplication.translate("CycleDialog", u"e.g. more students explaining their thinking", None))
        self.evidence_label.setText(QCoreApplication.translate("CycleDialog", u"&Evidence to collect", None))
#if QT_CONFIG(accessibility)
        self.evidence_edit.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Evidence to collect", None))
#endif // QT_CONFIG(accessibility)
        self.evidence_edit.setPlaceholderText(QCoreApplication.translate("CycleDialog", u"What the observer will look and listen for", None))
        self.date_label.setText(QCoreApplication.translate("CycleDialog", u"P&lanned for", None))
        self.date_edit.setDisplayFormat(QCoreApplication.translate("CycleDialog", u"yyyy-MM-dd", None))
#if QT_CONFIG(accessibility)
        self.date_edit.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Planned date", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.error_label.setAccessibleName(QCoreApplication.translate("CycleDialog", u"Problem", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

