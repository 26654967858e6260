//! Table names as a deployment gives them: a model names its table (`table "Todos"`), and a
//! stack deploys it under a generated name per stage (`MyStack-TodosTable-1A2B3C`), handed to
//! the function in an environment variable. [`TableNames`] maps the one to the other for a
//! whole client; [`DynamoDb::table_named`](super::DynamoDb::table_named) binds one table.

use std::collections::HashMap;
use std::sync::Arc;

use super::error::Error;

/// The names a client's tables are deployed under, by the table name their models give
/// (`table "Todos"`): an exact name per table, else a prefix (a stage, say) before the
/// model's name, else the model's name itself. Set on a client with
/// [`DynamoDb::with_table_names`](super::DynamoDb::with_table_names); every
/// [`DynamoDb::table`](super::DynamoDb::table) of it, index models included, then goes to the
/// deployed name, which every request, error, cursor and transaction member uses.
///
/// The AWS SAM / CDK pattern: the template passes each table's generated name to the
/// function in a variable (`TODOS_TABLE: !Ref TodosTable`), read once at start:
///
/// ```
/// use awstin::dynamodb::TableNames;
/// # unsafe { std::env::set_var("TODOS_TABLE", "MyStack-TodosTable-1A2B3C") };
/// let names = TableNames::from_env([("Todos", "TODOS_TABLE")])?;
/// assert_eq!(&*names.resolve("Todos"), "MyStack-TodosTable-1A2B3C");
///
/// let staged = TableNames::prefix("dev-")?;
/// assert_eq!(&*staged.resolve("Todos"), "dev-Todos");
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableNames {
    prefix: String,
    exact: HashMap<String, Arc<str>>,
}

impl TableNames {
    /// Every table under its model's name.
    ///
    /// ```
    /// assert_eq!(&*awstin::dynamodb::TableNames::literal().resolve("Todos"), "Todos");
    /// ```
    pub fn literal() -> TableNames {
        TableNames::default()
    }

    /// Every table under its model's name after `prefix` (`dev-` makes `Todos` `dev-Todos`);
    /// [`Refusal::InvalidTableName`](crate::dynamodb::Refusal::InvalidTableName) for a prefix of characters a table name cannot hold, or
    /// longer than any table name.
    ///
    /// ```
    /// use awstin::dynamodb::TableNames;
    /// assert_eq!(&*TableNames::prefix("prod_")?.resolve("Todos"), "prod_Todos");
    /// assert!(TableNames::prefix("prod/").is_err());
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn prefix(prefix: impl Into<String>) -> Result<TableNames, Error> {
        let prefix = prefix.into();
        // Checked as a name of its own, padded to the shortest length a name has.
        if let Some(reason) = refusal(&format!("{prefix}xxx")) {
            return Err(Error::from(awstin_core::Error::InvalidTableName { reason }));
        }
        Ok(TableNames {
            prefix,
            exact: HashMap::new(),
        })
    }

    /// The same names, with the table models call `table` deployed as `deployed` exactly
    /// (no prefix); [`Refusal::InvalidTableName`](crate::dynamodb::Refusal::InvalidTableName) when DynamoDB would not take `deployed`.
    ///
    /// ```
    /// use awstin::dynamodb::TableNames;
    /// let names = TableNames::prefix("dev-")?.with("Users", "shared-Users")?;
    /// assert_eq!(&*names.resolve("Users"), "shared-Users");
    /// assert_eq!(&*names.resolve("Todos"), "dev-Todos");
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn with(mut self, table: &str, deployed: impl Into<String>) -> Result<TableNames, Error> {
        let deployed = deployed.into();
        if let Some(reason) = refusal(&deployed) {
            return Err(Error::from(awstin_core::Error::InvalidTableName { reason }));
        }
        self.exact.insert(table.to_owned(), deployed.into());
        Ok(self)
    }

    /// Each table's deployed name read from an environment variable: pairs of the model's
    /// table name and the variable. A variable that is unset, not Unicode, or not a table
    /// name is an error now, at start, not at a table's first request:
    /// [`Error::Configuration`] naming the variable, or [`Refusal::InvalidTableName`](crate::dynamodb::Refusal::InvalidTableName).
    ///
    /// ```
    /// use awstin::dynamodb::{Error, TableNames};
    /// let missing = TableNames::from_env([("Todos", "AWSTIN_DOC_UNSET_TABLE_VARIABLE")]);
    /// assert!(matches!(missing, Err(Error::Configuration { .. })));
    /// ```
    pub fn from_env<'v>(
        tables: impl IntoIterator<Item = (&'v str, &'v str)>,
    ) -> Result<TableNames, Error> {
        tables
            .into_iter()
            .try_fold(
                TableNames::literal(),
                |names, (table, variable)| match std::env::var(variable) {
                    Ok(deployed) => names.with(table, deployed),
                    Err(e) => Err(Error::Configuration {
                        message: format!(
                            "the name of table {table} is read from {variable}, which is {}",
                            match e {
                                std::env::VarError::NotPresent => "not set",
                                std::env::VarError::NotUnicode(_) => "not Unicode",
                            }
                        ),
                    }),
                },
            )
    }

    /// The deployed name of the table models call `table`.
    ///
    /// ```
    /// assert_eq!(&*awstin::dynamodb::TableNames::prefix("qa.")?.resolve("Movies"), "qa.Movies");
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn resolve(&self, table: &str) -> Arc<str> {
        match self.exact.get(table) {
            Some(deployed) => deployed.clone(),
            None if self.prefix.is_empty() => table.into(),
            None => format!("{}{table}", self.prefix).into(),
        }
    }
}

/// Why DynamoDB would not take `name` as a table name, if it would not.
pub(crate) fn refusal(name: &str) -> Option<&'static str> {
    awstin_core::limits::table_name_refusal(name)
}
