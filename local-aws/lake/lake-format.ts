/** The lake format is a contract of the Lambda code (lambda/shared/lake-format.ts); the stand-ins use it from there. */
export { isLakeFormat, LAKE_FORMATS, ROW_OBJECT_EXTENSION, type LakeFormat } from '../../lambda/shared/lake-format';
