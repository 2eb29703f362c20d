; Inno Setup script for the Windows installer of Observe.
; Build the folder first on Windows (`python packaging\build.py --check`), then:
;   iscc packaging\observe.iss
; The installer goes to packaging\dist\installer\ and installs per user (no admin rights needed,
; as teachers' laptops are often locked down).

#define AppName "Observe"
#define AppVersion "0.1.0"
#define AppExe "observe-app.exe"

[Setup]
AppId={{6C1E9F4A-3B7D-4E52-9A51-0B5E3C2D8F17}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=The Observe contributors
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
OutputDir=dist\installer
OutputBaseFilename=Observe-{#AppVersion}-setup
SetupIconFile=..\resources\icons\observe.ico
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}

[Files]
Source: "dist\Observe\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\{#AppExe}"; Description: "Open Observe"; Flags: nowait postinstall skipifsilent

; The data folder (%APPDATA%\Observe) is left in place on uninstall: it holds the user's
; observations, which they cannot re-create.
