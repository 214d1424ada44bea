package dev.pyro.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyro.contract.Param.CliForm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each CLI form answers for its name and a new value label (methods of the forms, not a switch). */
class CliFormTest {
    @Test
    void everyFormNamesItselfAsHelpAndErrorsShowIt() {
        assertThat(Param.option("mem_mib", ParamType.INTEGER, "1024", "d").cliName()).isEqualTo("--mem-mib");
        assertThat(Param.outputFlag("json", "d").cliName()).isEqualTo("--json");
        assertThat(Param.setting("backend", "NAME", "d").cliName()).isEqualTo("--backend");
        assertThat(Param.rendering("output_encoding", ParamType.STRING, "utf-8", "d").cliName())
                .isEqualTo("--output-encoding");
        assertThat(Param.positional("workspace_id", 0, "ID", ParamType.STRING, "d").cliName()).isEqualTo("ID");
        assertThat(Param.command("d").cliName()).isEqualTo("CMD");
        assertThat(Param.sdkAndMcpOnly("shell_command", ParamType.STRING, "d").cliName()).isEqualTo("shell_command");
    }

    @Test
    void aNewLabelKeepsEverythingElseOfTheForm() {
        assertThat(Param.option("env", ParamType.STRING, null, "d").withLabel("OCI_REF").cli())
                .isEqualTo(new CliForm.Option("--env", "OCI_REF"));
        assertThat(Param.settingFlag("interactive", List.of("-i"), "d").withLabel("X").cli())
                .isEqualTo(new CliForm.Setting("--interactive", "X", List.of("-i")));
        assertThat(Param.rendering("output_encoding", ParamType.STRING, "utf-8", "d").withLabel("ENC").cli())
                .isEqualTo(new CliForm.Rendering("--output-encoding", "ENC"));
        assertThat(Param.positional("workspace_id", 1, "ID", ParamType.STRING, "d").withLabel("WS").cli())
                .isEqualTo(new CliForm.Positional(1, "WS"));
        assertThat(Param.command("d").withLabel("ARGV").cli()).isEqualTo(new CliForm.Trailing("ARGV"));
    }

    @Test
    void formsWithoutAValueRefuseALabel() {
        assertThatThrownBy(() -> Param.outputFlag("json", "d").withLabel("X"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("json has no value label");
        assertThatThrownBy(() -> Param.sdkAndMcpOnly("shell_command", ParamType.STRING, "d").withLabel("X"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("shell_command has no value label");
    }
}
